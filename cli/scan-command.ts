// `posture scan`: collect → evaluate → report, and an exit code a CI gate can use.
// Start-up: a scan of one local file is the common case, so what only images (the analyzer, the registry
// client, signatures, the vulnerability database), clouds (their SDKs) or publishing (state stores,
// publishers) need is imported when the inputs ask for it. test/cli-lazy-loading.test.ts holds this.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { cliRedactionKey } from '../core/redaction-key.ts';
import { defaultHistoryDir } from '../core/snapshots.ts';
import type { Asset } from '../core/asset.ts';
import { loadConfig, type Config } from '../core/config.ts';
import type { CollectedScope } from '../core/collection-scope.ts';
import { scanAssets, type ScanError, type ScanResult } from '../core/scan.ts';
import { releaseRaw } from '../core/raw-digests.ts';
import { Engine } from '../policies/engine.ts';
import { severityRank, Severity } from '../policies/catalog.ts';
import { collectLocal, type ImageInputs } from '../providers/local/collect.ts';
import type { CollectOptions } from '../providers/oci/options.ts';
import { ImageRun } from '../providers/oci/image-run.ts';
import { collectOptionsFromConfig } from '../providers/oci/options.ts';
import { looksLikeLocalImage } from '../providers/oci/local/looks-like-image.ts';
import { incompleteImageErrors } from './incomplete-images.ts';
import { safeText } from './safe-text.ts';
import { ExitCode } from './exit-codes.ts';
import type { Format } from '../report/formats.ts';
import { collectClouds, wantsCloud, type CloudFlags } from './cloud-scan.ts';
import { leftUndelivered, recordAndPublish, wantsState, type StateFlags } from './publish-command.ts';
import type { DrainSummary } from '../publishers/drain.ts';
import { complianceOf, recordHistory, type ComplianceExtras } from './compliance.ts';
import type { SupplyChainOptions } from '../supply-chain/check-image.ts';

export { formats, type Format } from '../report/formats.ts';

export interface ScanOptions {
  format: Format;
  output?: string;
  failOn?: Severity;
  config?: string;
  framework?: string;
  platform?: string;
  allPlatforms?: boolean;
  /** Registry hosts spoken to over plain HTTP (a local test registry). */
  insecureRegistry?: string[];
  /** Where scan snapshots are kept for drift and evidence; false (`--no-history`) records nothing. */
  history?: boolean;
  historyDir?: string;
  /** OSV vulnerability database file. */
  vulndb?: string;
  /** OpenVEX / CycloneDX VEX documents (added to the config's). */
  vex?: string[];
}

export type ScanCommandOptions = ScanOptions & StateFlags & CloudFlags;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty: boolean;
}

/**
 * The report in one format, as chunks of text in order; each renderer is loaded only when its format is asked
 * for. The JSON report (the one large scans ask for) is stringified element by element while it is written, so
 * it is never one string in memory; the other formats are one chunk.
 */
async function renderChunks(result: ScanResult, format: Format, color: boolean, extras?: ComplianceExtras): Promise<Iterable<string>> {
  const compliance = () => extras ?? complianceOf(result).extras;
  switch (format) {
    case 'json':
      return (await import('../report/json.ts')).jsonReportChunks(result, extras ? { compliance: extras.scores } : {});
    case 'html':
      return [(await import('../report/html.ts')).renderHtml({ result, ...compliance() })];
    case 'junit':
      return [(await import('../report/junit.ts')).renderJunit({ result, ...compliance() })];
    case 'csv':
      return [(await import('../report/csv.ts')).renderCsv({ result, ...compliance() })];
    case 'ocsf':
      return [(await import('../report/ocsf.ts')).renderOcsf({ result, ...compliance() })];
    case 'asff':
      return [(await import('../report/asff.ts')).renderAsff({ result, ...compliance() }, extras?.securityHub)];
    case 'sarif':
      return [(await import('../report/sarif.ts')).renderSarif(result)];
    case 'cyclonedx':
      return [(await import('../report/cyclonedx.ts')).renderCycloneDx(result)];
    case 'spdx-json':
      return [(await import('../report/spdx.ts')).renderSpdx(result)];
    case 'table':
      return [(await import('../report/table.ts')).renderTable(result, { color })];
  }
}

/** Writes the report and its final newline to `file` (created or truncated) or to stdout, 64 KiB or so at a time. */
async function writeReport(chunks: Iterable<string>, file: string | undefined, io: Io): Promise<void> {
  const { batched } = await import('../core/text-chunks.ts');
  const pieces = batched(concat(chunks, '\n'));
  if (!file) {
    for (const piece of pieces) io.stdout(piece);
    return;
  }
  const handle = await open(file, 'w');
  try {
    for (const piece of pieces) await handle.write(piece);
  } finally {
    await handle.close();
  }
}

function* concat(chunks: Iterable<string>, last: string): Generator<string> {
  yield* chunks;
  yield last;
}

interface Inputs {
  assets: Asset[];
  errors: ScanError[];
  /** Directories given as a whole and cloud account/region, subscription and project collections. */
  scopes: CollectedScope[];
  /** Files, images and oci:// references given one by one. */
  looseInputs: string[];
}

/**
 * Signature-checking options (supply-chain/run-options.ts, shared with the worker), loaded only when posture.yaml
 * names a policy: trust material is read before anything is collected.
 */
async function supplyChainOptions(config: Config): Promise<SupplyChainOptions | undefined> {
  if (!config.supplyChain.policies.length) return undefined;
  return (await import('../supply-chain/run-options.ts')).supplyChainOptions(config);
}

/** Everything the command line names: local files, oci:// references and whole clouds. */
async function collectInputs(paths: string[], options: ScanCommandOptions, config: Config): Promise<Inputs> {
  const assets: Asset[] = [];
  const errors: ScanError[] = [];
  const scopes: CollectedScope[] = [];
  const looseInputs: string[] = paths.filter((p) => p.startsWith('oci://'));
  const supplyChain = await supplyChainOptions(config);
  const imageOptions: CollectOptions = {
    ...collectOptionsFromConfig(config),
    run: new ImageRun(config.imageScan.maxImagesPerRun),
    ...(supplyChain ? { supplyChain } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.allPlatforms ? { allPlatforms: true } : {}),
    ...(options.insecureRegistry?.length ? { insecureHosts: options.insecureRegistry } : {}),
  };
  const refs = paths.filter((p) => p.startsWith('oci://'));
  // Private registries: the credentials docker, crane and skopeo use (config.json and its credential helpers).
  const docker = refs.length ? await (await import('../providers/oci/registry/docker-config.ts')).dockerConfigCredentials() : null;
  for (const ref of refs) {
    try {
      const { collectRegistryImage } = await import('../providers/oci/collect-registry.ts');
      assets.push(...(await collectRegistryImage(ref.slice('oci://'.length), { ...imageOptions, ...(docker ? { credentialProviders: [docker] } : {}) })));
    } catch (err) {
      errors.push({ source: ref, message: `${ref}: ${(err as Error).message}` });
    }
  }
  const files = paths.filter((p) => !p.startsWith('oci://'));
  if (files.length) {
    const images: ImageInputs = {
      looksLikeImage: looksLikeLocalImage,
      collect: async (file) => (await import('../providers/oci/local/collect-local.ts')).collectLocalImage(file, imageOptions),
    };
    const local = await collectLocal(files, { images });
    assets.push(...local.assets);
    errors.push(...local.errors);
    scopes.push(...local.scopes);
    looseInputs.push(...local.looseInputs);
  }
  if (wantsCloud(options)) {
    const { run: _run, ...pull } = imageOptions;
    const clouds = await collectClouds(options, config, pull);
    assets.push(...clouds.assets);
    errors.push(...clouds.errors);
    scopes.push(...clouds.scopes);
  }
  // An image that could not be read whole is an input error too (exit 3), besides its IMG-014 finding.
  errors.push(...incompleteImageErrors(assets));
  return { assets, errors, scopes, looseInputs };
}

/**
 * Vulnerabilities matched to the images among the assets. The VEX documents are read whatever the inputs (a
 * VEX file that cannot be read is a configuration error on every scan); the database only when there is an image.
 */
async function withVulnerabilities(assets: Asset[], config: Config, options: ScanOptions) {
  const vexFiles = [...config.vulnerabilities.vex, ...(options.vex ?? [])];
  const vex = vexFiles.length ? (await import('../vulns/vex.ts')).loadVex(vexFiles) : [];
  if (!assets.some((a) => a.kind === 'image')) return { assets, unavailable: null, timings: { openMs: 0, matchMs: 0 } };
  const { attachVulnerabilities, vulnDbPath } = await import('../vulns/enrich.ts');
  return attachVulnerabilities(assets, options.vulndb ?? vulnDbPath(config.vulnerabilities), { vex });
}

/**
 * Collects and evaluates everything the command line names. Once evaluated, the assets' raw API answers are
 * kept only as the digests the finding state and the history use (core/raw-digests.ts); the collected assets
 * themselves are not referenced after this returns.
 */
async function collectAndEvaluate(paths: string[], options: ScanCommandOptions, config: Config, engine: Engine, io: Io): Promise<{ scanned: ScanResult; looseInputs: string[] }> {
  const startedAt = new Date();
  const collected = await collectInputs(paths, options, config);
  const { assets, unavailable, timings } = await withVulnerabilities(collected.assets, config, options);
  // An SBOM lists packages, not verdicts: a missing database is no concern of that output.
  const sbom = options.format === 'cyclonedx' || options.format === 'spdx-json';
  if (unavailable && !sbom) io.stderr(`warning: vulnerabilities not evaluated: ${unavailable}\n`);
  if (process.env['POSTURE_TIMINGS']) io.stderr(`timings: vulnerability database open ${timings.openMs.toFixed(1)} ms, matching ${timings.matchMs.toFixed(1)} ms\n`);
  // Found secrets are stored as keyed hashes; the key lives beside the history so hashes stay comparable.
  const keeps = options.history !== false || wantsState(options, config);
  const hasher = cliRedactionKey(path.dirname(options.historyDir ?? defaultHistoryDir), keeps);
  const scanned = scanAssets(engine, assets, collected.errors, startedAt, collected.scopes.length ? collected.scopes : undefined, hasher);
  return { scanned: releaseRaw(scanned, { content: wantsState(options, config), raw: options.history !== false }), looseInputs: collected.looseInputs };
}

export async function runScan(paths: string[], options: ScanCommandOptions, io: Io): Promise<number> {
  const config = loadConfig(options.config);
  // --framework is applied to the result (core/frameworks.ts), so crosswalk frameworks (HIPAA, SOX) work too.
  // One short process per run: the compiled policy module comes from the per-user cache when it can.
  const engine = await Engine.load({ config, compileCache: true });
  if (process.env['POSTURE_TIMINGS']) io.stderr(`timings: policy module: ${engine.compiled.cache}, ${engine.compiled.ms.toFixed(1)} ms to obtain\n`);
  const { scanned, looseInputs } = await collectAndEvaluate(paths, options, config, engine, io);
  const { result, extras } = complianceOf(scanned, { config, ...(options.framework ? { framework: options.framework } : {}) });
  if (options.history !== false) {
    try {
      // Only the HTML report lists the drift's assets; the others need none of them kept.
      extras.drift = recordHistory(result, extras, options.historyDir, options.format === 'html' ? 'notable' : 'none');
    } catch (err) {
      io.stderr(`warning: scan history not recorded: ${(err as Error).message}\n`);
    }
  }
  let drained: DrainSummary | undefined;
  if (wantsState(options, config)) {
    if (looseInputs.length > 0) {
      io.stderr(
        `state: ${looseInputs.length} input${looseInputs.length === 1 ? '' : 's'} given one by one (${looseInputs.slice(0, 3).join(', ')}${looseInputs.length > 3 ? ', …' : ''}): ` +
          'findings are resolved only within the assets they hold; an asset missing from them is not resolved (give its whole directory, or scan its cloud, for that)\n',
      );
    }
    try {
      ({ drained } = await recordAndPublish(result, config, options, io));
    } catch (err) {
      // Reported and reflected in the exit code; the intents stay in the outbox for `posture publish`.
      result.errors.push({ source: 'publish', message: `finding state / publishing: ${(err as Error).message}` });
    }
  }
  await writeReport(await renderChunks(result, options.format, io.isTty && !options.output && options.format === 'table', extras), options.output, io);
  if (options.output) io.stderr(`report written to ${options.output} (${result.findings.length} findings)\n`);
  for (const e of result.errors) if (options.format !== 'table' || options.output) io.stderr(`error: ${safeText(e.message)}\n`);
  if (result.errors.length) return ExitCode.inputErrors;
  if (leftUndelivered(drained)) return ExitCode.undelivered;
  if (options.failOn) {
    const threshold = severityRank[options.failOn];
    if (result.findings.some((f) => severityRank[f.severity] >= threshold)) return ExitCode.findings;
  }
  return ExitCode.ok;
}

export { Severity };
