// `node --import` this file to have the process write, as it exits, the URL of every module it loaded
// (ES modules and CommonJS files alike: module.registerHooks sees both) to the file in RECORD_MODULES_TO.
import { writeFileSync } from 'node:fs';
import module from 'node:module';

const loaded = new Set();
module.registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.RECORD_MODULES_TO, [...loaded].join('\n')));
