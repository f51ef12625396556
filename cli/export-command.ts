// `posture export admission`: writes the workload rules as Gatekeeper and ValidatingAdmissionPolicy
// manifests (admission/export.ts) into a directory, and says which rules were not exported and why.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../core/config.ts';
import { ExitCode } from './exit-codes.ts';
import type { Io } from './scan-command.ts';

interface ExportFlags {
  config?: string;
  out: string;
}

export function registerExport(program: Command, io: Io, setExit: (code: number) => void): void {
  const exp = program.command('export').description('the baseline in other enforcement points');
  exp
    .command('admission')
    .description('Gatekeeper ConstraintTemplates/Constraints and ValidatingAdmissionPolicies/bindings from the workload rules, in their graduated modes')
    .option('-c, --config <file>', 'posture.yaml with the admission section (modes per rule and framework)')
    .requiredOption('-o, --out <dir>', 'directory to write gatekeeper/ and vap/ into')
    .action(async (flags: ExportFlags) => {
      const config = loadConfig(flags.config);
      // Loaded here, not with the command line: only this command needs the translations (and the engine's catalog).
      const [{ exportAdmission }, { Engine }] = await Promise.all([import('../admission/export.ts'), import('../policies/engine.ts')]);
      const engine = await Engine.load({ config });
      const result = exportAdmission(engine.catalog, { admission: config.admission, systemNamespaces: config.kubernetes.systemNamespaces, config });
      for (const file of result.files) {
        const target = path.join(flags.out, file.path);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.content);
      }
      const lines = [
        `exported ${result.exported.length} rules to ${flags.out} (Gatekeeper: gatekeeper/, ValidatingAdmissionPolicy: vap/):`,
        ...result.exported.map((e) => `  ${e.rule}  ${e.mode.padEnd(7)}  ${e.gatekeeper}  ${e.vap}`),
        `not exported (${result.notExported.length}):`,
        ...result.notExported.map((n) => `  ${n.rule}  ${n.reason}`),
      ];
      io.stdout(`${lines.join('\n')}\n`);
      setExit(ExitCode.ok);
    });
}
