/**
 * The words of the screens under console/src/screens/, one file per screen: each exports `section(en, zhCN)`
 * (./section.ts: the Chinese must have every key the English has) and is listed here under the name its screen reads them by
 * (`t('picking.title')`).
 */
import { timeline } from './timeline';
import { orderActions } from './orderActions';
import { orderEdit } from './orderEdit';
import { security } from './security';
import { staff } from './staff';
import { locations } from './locations';
import { catalogue } from './catalogue';
import { warnings } from './warnings';
import { returns } from './returns';
import { stock } from './stock';
import { newOrder } from './newOrder';
import { reviewQueue } from './reviewQueue';
import { picking } from './picking';
import { pickup } from './pickup';
import { customers } from './customers';
import { membership } from './membership';
import { customerRecord } from './customerRecord';
import { segment } from './segment';
import { repairs } from './repairs';
import { promotions } from './promotions';
import type { Section } from './section';

export const SECTIONS: Record<string, Section> = {
  timeline,
  orderActions,
  orderEdit,
  security,
  staff,
  locations,
  catalogue,
  warnings,
  returns,
  stock,
  newOrder,
  reviewQueue,
  picking,
  pickup,
  customers,
  membership,
  customerRecord,
  segment,
  repairs,
  promotions,
};
