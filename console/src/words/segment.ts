/** A campaign segment on the customers screen. */
import { section } from './section';

export const segment = section(
  {
    title: 'Campaign segment',
    intro:
      'Customers who agreed to marketing, picked by what they bought and spent. Download them for an SMS or WeChat campaign.',
    tiers: 'Tier',
    from: 'Last purchase from',
    to: 'to',
    category: 'Category bought',
    sku: 'SKU bought',
    minSpend: 'Spent at least (¥)',
    apply: 'Show',
    count: '{{count}} customers',
    download: 'Download CSV',
    tier: 'Tier',
    spend: 'Spend (net of refunds)',
  },
  {
    title: '精准营销人群',
    intro: '只包含同意接收营销信息的顾客，按购买内容和消费金额筛选，可下载用于短信或微信营销。',
    tiers: '等级',
    from: '最近购买从',
    to: '到',
    category: '购买过的品类',
    sku: '购买过的 SKU',
    minSpend: '消费至少（元）',
    apply: '筛选',
    count: '共 {{count}} 位顾客',
    download: '下载 CSV',
    tier: '等级',
    spend: '消费（扣除退款）',
  },
);
