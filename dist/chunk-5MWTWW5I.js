import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{a as r}from"./chunk-4PMYIXEQ.js";var a=/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,c=/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;function s(t){let n=t.charCodeAt(0);return t===`
`?"\\n":t==="\r"?"\\r":t==="	"?"\\t":n<256?`\\x${n.toString(16).padStart(2,"0")}`:`\\u{${n.toString(16)}}`}r(s,"escapeCode");function x(t){return t.replace(a,s)}r(x,"escapeControls");function i(t){return t.replace(c,s)}r(i,"inline");function d(t){return x(t).split(`
`).map(n=>n.replace(/##\[/g,"##\\x5b").replace(/^(\s*):(?=:)/,"$1\\x3a")).join(`
`)}r(d,"safeLogText");var f=/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;function S(t,n){return JSON.stringify(t,null,n).replace(f,e=>`\\u${e.charCodeAt(0).toString(16).padStart(4,"0")}`)}r(S,"safeJson");var p=/[\\`*_[\]|~<>&]|:(?=\/\/)|(?<=www)\./gi,l={"<":"&lt;",">":"&gt;","&":"&amp;"};function N(t){return i(t).replace(p,n=>l[n]??`\\${n}`)}r(N,"markdownText");function $(t){let n=i(t),e=Math.max(0,...(n.match(/`+/g)??[]).map(g=>g.length)),o="`".repeat(e+1),u=n.startsWith("`")||n.endsWith("`")||n===""?" ":"";return`${o}${u}${n}${u}${o}`}r($,"markdownCode");export{x as a,i as b,d as c,S as d,N as e,$ as f};
