import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{a}from"./chunk-MLRWK25M.js";import{b as p}from"./chunk-H4C4JXQA.js";import{b as g,c as i}from"./chunk-5MWTWW5I.js";import{a as r,d as L}from"./chunk-4PMYIXEQ.js";var n=L(p());function l(){return{info:r(e=>n.info(i(e)),"info"),warning:r((e,t)=>n.warning(i(e),d(t)),"warning"),notice:r((e,t)=>n.notice(i(e),d(t)),"notice"),error:r((e,t)=>n.error(i(e),d(t)),"error"),debug:r(e=>n.debug(i(e)),"debug"),secret:r(e=>{n.setSecret(e),i(e)!==e&&n.setSecret(i(e))},"secret"),group:r((e,t)=>n.group(g(e),t),"group")}}r(l,"actionLog");function d(e){if(e)return{...e,...e.title!==void 0?{title:g(e.title)}:{},...e.file!==void 0?{file:g(e.file)}:{}}}r(d,"safeLocation");function w(e={}){let t=e.write??(o=>process.stderr.write(o)),f=new Set,u=r(o=>{let s=o;for(let m of f)s=s.split(m).join("***");return s},"redact"),c=r(o=>s=>t(`${i(u(`${o}${s}`))}
`),"line");return{info:c(""),warning:c("warning: "),notice:c("note: "),error:c("error: "),debug:e.verbose?c("debug: "):()=>{},secret:r(o=>{o&&f.add(o)},"secret"),group:r(async(o,s)=>(t(`${g(u(o))}
`),s()),"group")}}r(w,"cliLog");var S=`buildx-guard ${a}`;export{l as a,w as b,S as c};
