// Prints the text layer of a PDF as pdf.js (Firefox's reader and many web viewers) reads it:
// the items of getTextContent() per page, a line break where pdf.js ends a line, pages split by \f.
// Usage: node tools/pdfjs/pdftext.mjs FILE.pdf
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0, isEvalSupported: false, disableFontFace: true }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number++) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => (item.str ?? "") + (item.hasEOL ? "\n" : "")).join(""));
}
process.stdout.write(pages.join("\f"));
await pdf.destroy();
