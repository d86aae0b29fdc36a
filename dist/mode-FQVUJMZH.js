import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{i as w}from"./chunk-TPB7I3DK.js";import{a as I,b as R,c as b,d as k,e as C}from"./chunk-RK7NFZJM.js";import{E as g,F as V,l as E}from"./chunk-XEYAMJFQ.js";import"./chunk-5Q5H4CTC.js";import"./chunk-N35YCLEE.js";import{a as x}from"./chunk-TM7CKTX4.js";import{b as l,c as h,e as y}from"./chunk-MYB4L5PE.js";import{b as j}from"./chunk-H4C4JXQA.js";import{a as v}from"./chunk-KAMSV6LQ.js";import{d as f}from"./chunk-5MWTWW5I.js";import{a as i,d as $,e as m,f as d}from"./chunk-4PMYIXEQ.js";var p=$(j());function u(t){let e=h(t("images")).map(r=>E(r,"images"));if(e.length===0)throw new d("images","","List at least one image reference, e.g. ghcr.io/owner/app:v1.");return{images:e,expectation:I(t),insecureRegistries:R(t)}}i(u,"readVerifyInputs");function O(t){return t.images.filter(e=>e.problems.some(r=>r.code==="could-not-check"))}i(O,"uncheckedImages");async function re(t){let e=u(o=>p.getInput(o)),r=await P(e,t,!1);x("report",f(r),t),p.setOutput("media-type",r.images[0]?.mediaType??"");for(let o of r.images){t.info(g(o).trimEnd());for(let s of o.problems)t.error(`${o.ref}: ${s.message}`,{title:`buildx-guard: ${s.code}`})}v(V(r));let a=r.images.filter(o=>!o.ok);if(a.length>0)throw new Error(`${a.length} of ${r.images.length} image(s) do not meet the expectation: ${a.map(o=>o.ref).join(", ")}.`)}i(re,"runVerifyAction");var T=`Usage: buildx-guard verify [options] REF...

Checks what a registry serves under each image reference.

Options:
${C}
  --format text|json                output on stdout (default text)
  -h, --help                        show this help

Credentials come from $DOCKER_CONFIG/config.json (default ~/.docker/config.json).
Exit codes: 0 every image meets the expectation, 1 a violation, 2 could not check.
`;async function oe(t,e){let r=A(t);if(r.help)return e.stdout(T),m.ok;let a=i(n=>r.inputs[n]??"","get"),o=l(a,"format",["text","json"],"text"),s=await P(u(a),e.log,!0),c=O(s);e.stdout(o==="json"?`${f(s,2)}
`:s.images.filter(n=>!c.includes(n)).map(n=>g(n,{color:e.color})).join(`
`));for(let n of c)e.log.error(n.problems[0].message);return c.length>0?m.cannotCheck:s.images.every(n=>n.ok)?m.ok:m.violation}i(oe,"verifyCommand");function A(t){let e=y("verify",t,{...b,format:{type:"string"}});return{help:e.help,inputs:{images:e.positionals.join(`
`),...k(e.values),format:e.text("format")}}}i(A,"parseVerifyArgs");function P(t,e,r){return w(t.images,t.expectation,{insecureRegistries:t.insecureRegistries,log:e,keepGoing:r})}i(P,"run");export{A as parseVerifyArgs,re as runVerifyAction,oe as verifyCommand};
