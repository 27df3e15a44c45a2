// The part of the `qrcode` package the console uses (its @types would pull in Node's types).
declare module 'qrcode' {
  export interface BitMatrix {
    size: number;
    get(row: number, col: number): boolean | number;
  }
  export interface QRCode {
    modules: BitMatrix;
  }
  export function create(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): QRCode;
}
