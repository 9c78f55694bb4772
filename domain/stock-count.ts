/**
 * How far a stock count may lower stock without a manager. A count that finds fewer units than recorded is a
 * write-off in all but name, and write-offs are a manager's: so anyone else's counts may lower one SKU at one
 * location by at most a few units a day in total (a miscount, a unit found broken), OMS_COUNT_LOWER_LIMIT. More
 * needs a manager to count or to write the stock off. Counting in several small sheets gains nothing: the day's
 * earlier lowerings count too.
 */

/** The window over which a SKU's lowerings at one location add up. */
export const COUNT_LOWERING_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CountLowering {
  sku: string;
  recorded: number;
  counted: number;
  /** Units this SKU at this location was lowered by counts within the window, this count's included. */
  loweredInWindow: number;
}

/** The lowerings past `limit`: none when the count may go through. */
export const loweringsPastLimit = (lowerings: readonly CountLowering[], limit: number): CountLowering[] =>
  lowerings.filter((l) => l.counted < l.recorded && l.loweredInWindow > limit);
