/**
 * Product CSV files of any size for the import tests (test/db/csv-large.test.ts) and the bench's import scenario
 * (bench/imports.ts): four sizes per product, so `rows` variants of `rows / 4` products.
 */

export const PRODUCT_CSV_HEADER = 'product_code,product_name,category,serialised,sku,barcode,price_minor,attributes';
export const SIZES = ['S', 'M', 'L', 'XL'];
/** The first row's barcode: 12 digits, the following rows count up from it. */
export const FIRST_BARCODE = 69_0000_0000_00;

export interface ProductsFileOptions {
  /** Every variant's price, minor units. */
  price?: number;
  /** Put in front of every product code (and so every SKU), for files that must not meet another file's rows. */
  prefix?: string;
  /** The first row's barcode (FIRST_BARCODE unless set). */
  firstBarcode?: number;
}

/**
 * Row i (from 0): product `<prefix>P<n>` named `Shirt <n>` (n = i / 4), size SIZES[i % 4], SKU `<code>-<size>`,
 * barcode firstBarcode + i.
 */
export function productsFile(
  rows: number,
  { price = 12_900, prefix = '', firstBarcode = FIRST_BARCODE }: ProductsFileOptions = {},
): string {
  const lines = [PRODUCT_CSV_HEADER];
  for (let i = 0; i < rows; i++) {
    const n = Math.floor(i / SIZES.length);
    const code = `${prefix}P${n}`;
    const size = SIZES[i % SIZES.length];
    lines.push(`${code},Shirt ${n},clothing,false,${code}-${size},${firstBarcode + i},${price},size=${size}`);
  }
  return lines.join('\n');
}
