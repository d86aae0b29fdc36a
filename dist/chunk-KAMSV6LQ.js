import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{e as u,f as c}from"./chunk-5MWTWW5I.js";import{a as r}from"./chunk-4PMYIXEQ.js";import{appendFileSync as f,statSync as a}from"node:fs";var p=1024*1024-4096;function b(t,s=process.env){let n=s.GITHUB_STEP_SUMMARY;if(!n)return!1;let e=t.endsWith(`
`)?t:`${t}
`,o=p-g(n);return Buffer.byteLength(e)<=o?f(n,e):o>Buffer.byteLength(i)&&f(n,l(e,o)),!0}r(b,"appendJobSummary");function g(t){try{return a(t).size}catch{return 0}}r(g,"existingSize");var i=`

\u2026 the rest is cut: a job summary holds at most 1 MiB. The step log has everything.
`;function l(t,s){let n=s-Buffer.byteLength(i),e=Buffer.from(t).subarray(0,n).toString("utf8"),o=e.lastIndexOf(`
`);return`${o>=0?e.slice(0,o):""}${i}`}r(l,"truncated");function h(t,s){let n=r(e=>`| ${e.map(m).join(" | ")} |`,"line");return[n(t),n(t.map(()=>"---")),...s.map(n)].join(`
`)+`
`}r(h,"markdownTable");function m(t){return typeof t!="string"?c(t.code).replace(/\|/g,"\\|"):t.split(/\r?\n/).map(u).join("<br>")}r(m,"renderCell");export{b as a,h as b};
