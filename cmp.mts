import { readFileSync } from 'node:fs';
import { compareNotebooks } from './test/results/report/notebook-compare.ts';
const d = compareNotebooks(JSON.parse(readFileSync(process.argv[2]!, 'utf8')), JSON.parse(readFileSync(process.argv[3]!, 'utf8')));
console.log(d.length, '\n' + d.join('\n'));
