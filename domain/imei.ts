/** Serial numbers of serialised goods are IMEIs: 15 digits, the last a Luhn check digit. Pure. */

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum;
}

/** 15 digits whose Luhn check digit is right: the shape of an IMEI. */
export function isValidImei(serial: string): boolean {
  return /^\d{15}$/.test(serial) && luhnSum(serial) % 10 === 0;
}

/** Completes 14 digits with their Luhn check digit (demo data and tests). */
export function withImeiCheckDigit(body: string): string {
  return `${body}${(10 - (luhnSum(`${body}0`) % 10)) % 10}`;
}
