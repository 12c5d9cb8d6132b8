// CronWorkflow schedules: every entry of `schedules` (and v3's single `schedule`) must
// parse as Argo's robfig/cron does, in the given timezone.
import { CronExpressionParser } from 'cron-parser';
import type { CronWorkflow } from '../schema/workflow.js';
import type { Reporter } from './context.js';

// robfig/cron's `@every <duration>`: a Go duration such as 1h30m or 90s.
const EVERY = /^@every\s+((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const TZ_PREFIX = /^(?:CRON_TZ|TZ)=(\S+)\s+/;

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Why schedule is not a valid cron schedule in timezone, or undefined when it is. */
export function cronScheduleProblem(schedule: string, timezone?: string): string | undefined {
  let text = schedule.trim();
  let tz = timezone;
  const prefix = TZ_PREFIX.exec(text);
  if (prefix?.[1] !== undefined) {
    tz = prefix[1];
    text = text.slice(prefix[0].length);
  }
  if (tz !== undefined && tz !== '' && !isValidTimezone(tz)) return `unknown timezone "${tz}"`;
  if (text.startsWith('@every')) return EVERY.test(text) ? undefined : `"${schedule}": @every needs a duration such as 1h30m`;
  try {
    CronExpressionParser.parse(text, tz ? { tz, strict: false } : { strict: false });
    return undefined;
  } catch (err) {
    return `"${schedule}": ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function checkCron(cron: CronWorkflow, reporter: Reporter): void {
  const spec = cron.spec;
  const timezone = spec.timezone;
  if (timezone !== undefined && timezone !== '' && !isValidTimezone(timezone)) {
    reporter.error(['spec', 'timezone'], 'WEFT_E_CRON_TIMEZONE', `unknown timezone "${timezone}" (use an IANA name such as America/Los_Angeles)`);
  }
  const schedules = spec.schedules ?? [];
  if (schedules.length === 0 && (spec.schedule === undefined || spec.schedule === '')) {
    reporter.error(['spec', 'schedules'], 'WEFT_E_CRON_SCHEDULE', 'a CronWorkflow needs spec.schedules (or v3 spec.schedule)');
  }
  const tz = timezone !== undefined && isValidTimezone(timezone) ? timezone : undefined;
  if (spec.schedule !== undefined && spec.schedule !== '') {
    const problem = cronScheduleProblem(spec.schedule, tz);
    if (problem) reporter.error(['spec', 'schedule'], 'WEFT_E_CRON_SCHEDULE', `invalid cron schedule ${problem}`);
    reporter.warning(['spec', 'schedule'], 'WEFT_W_DEPRECATED', 'spec.schedule is Argo v3 syntax; v3.6+ and Weft prefer spec.schedules: [...]');
  }
  schedules.forEach((schedule, i) => {
    const problem = cronScheduleProblem(schedule, tz);
    if (problem) reporter.error(['spec', 'schedules', i], 'WEFT_E_CRON_SCHEDULE', `invalid cron schedule ${problem}`);
  });
}
