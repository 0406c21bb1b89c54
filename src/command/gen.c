/* gen.c — sibatch gen: generate a Shishi-calibrated si_src with its truth. */
#include "command/cli.h"
#include "command/commands.h"
#include "common/log.h"
#include "gen/gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: sibatch gen [--dsn DSN] --seed N --scale S --as-of YYYY-MM [--months N]\n"
    "                   [--fault KIND=RATE ...] [--faults-off]\n\n"
    "Creates si_src (sql/source.sql) and si_truth (sql/truth.sql) if missing,\n"
    "truncates both, and fills them with a deterministic, dirty population of\n"
    "Shishi (scale 1 = the 2020 year-end insured figures) and its ground truth.\n"
    "The same arguments give byte-identical tables.\n\n"
    "  --seed N             random seed (default 7)\n"
    "  --scale S            1.0 = Shishi 2020 (default 1)\n"
    "  --as-of YYYY-MM      the as-of month (default 2020-12)\n"
    "  --months N           contribution history back from as-of, 1..360 (default 36)\n"
    "  --fault KIND=RATE    override one fault rate (repeatable; see docs/generator.md)\n"
    "  --faults-off         all fault rates 0 (then --fault turns single kinds back on)\n"
    "  --list-faults        print the fault kinds with their default rates\n"
    SIB_CLI_COMMON_HELP;

enum { OPT_SEED = 1, OPT_SCALE, OPT_ASOF, OPT_MONTHS, OPT_FAULT, OPT_FAULTS_OFF, OPT_LIST };

int sib_cmd_gen(int argc, char **argv)
{
    static const struct option opts[] = {
        { "seed", required_argument, NULL, OPT_SEED },
        { "scale", required_argument, NULL, OPT_SCALE },
        { "as-of", required_argument, NULL, OPT_ASOF },
        { "months", required_argument, NULL, OPT_MONTHS },
        { "fault", required_argument, NULL, OPT_FAULT },
        { "faults-off", no_argument, NULL, OPT_FAULTS_OFF },
        { "list-faults", no_argument, NULL, OPT_LIST },
        SIB_CLI_COMMON_OPTIONS, { 0 } };
    sib_cli cli;
    sib_cli_init(&cli, "gen");
    sib_gen_params p;
    sib_gen_params_default(&p);
    /* --fault overrides are applied after --faults-off, whatever the order. */
    double over[SIB_F_COUNT];
    int has_over[SIB_F_COUNT] = { 0 }, off = 0;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(help, stdout);
            return SIB_EXIT_OK;
        case OPT_SEED:
            errno = 0;
            p.seed = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg || optarg[0] == '-')
                return sib_cli_usage_error("gen", "--seed wants a non-negative integer, not '%s'", optarg);
            break;
        case OPT_SCALE:
            p.scale = strtod(optarg, &end);
            if (*end || !*optarg || !(p.scale > 0) || p.scale > 1000)
                return sib_cli_usage_error("gen", "--scale wants a number in (0, 1000], not '%s'", optarg);
            break;
        case OPT_ASOF:
            if (sib_cli_parse_month(optarg, &p.as_of) != 0 || p.as_of < 199001 || p.as_of > 209912)
                return sib_cli_usage_error("gen", "--as-of wants YYYY-MM (1990..2099), not '%s'", optarg);
            break;
        case OPT_MONTHS: {
            long m = strtol(optarg, &end, 10);
            if (*end || !*optarg || m < 1 || m > 360)
                return sib_cli_usage_error("gen", "--months wants 1..360, not '%s'", optarg);
            p.months = (int)m;
            break;
        }
        case OPT_FAULT: {
            const char *eq = strchr(optarg, '=');
            char kind[64];
            if (!eq || (size_t)(eq - optarg) >= sizeof kind)
                return sib_cli_usage_error("gen", "--fault wants KIND=RATE, not '%s'", optarg);
            snprintf(kind, sizeof kind, "%.*s", (int)(eq - optarg), optarg);
            int k = sib_gen_fault_from_name(kind);
            if (k < 0)
                return sib_cli_usage_error("gen", "unknown fault kind '%s' (see --list-faults)", kind);
            double r = strtod(eq + 1, &end);
            if (*end || !eq[1] || !(r >= 0) || r > 1)
                return sib_cli_usage_error("gen", "--fault %s: rate must be in [0, 1]", kind);
            over[k] = r;
            has_over[k] = 1;
            break;
        }
        case OPT_FAULTS_OFF:
            off = 1;
            break;
        case OPT_LIST:
            for (int k = 0; k < SIB_F_COUNT; k++)
                printf("%-24s %-8g %s\n", sib_gen_fault_name(k), sib_gen_fault_default(k), sib_gen_fault_doc(k));
            return SIB_EXIT_OK;
        default:
            if (!sib_cli_common(&cli, c, optarg))
                return sib_cli_bad_option("gen", argv);
        }
    }
    if (optind < argc)
        return sib_cli_usage_error("gen", "unexpected argument '%s'", argv[optind]);
    int rc = sib_cli_finish(&cli);
    if (rc)
        return rc;
    for (int k = 0; k < SIB_F_COUNT; k++) {
        if (off)
            p.rate[k] = 0;
        if (has_over[k])
            p.rate[k] = over[k];
    }
    for (int s = 0; s < SIB_NSCHEMES; s++)
        p.lapse_threshold[s] = cli.cfg.lapse_threshold[s];
    p.age_min = cli.cfg.age_min;
    p.age_max = cli.cfg.age_max;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sib_error err = { 0 };
    sib_gen_stats st;
    if (sib_gen_run(cli.dsn, &p, &st, &err) != SIB_OK) {
        fprintf(stderr, "sibatch gen: %s\n", err.msg);
        return err.code ? err.code : SIB_EXIT_FAILURE;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    long nf = 0;
    for (int k = 0; k < SIB_F_COUNT; k++)
        nf += st.faults[k];
    sib_log_info("gen", "seed=%llu scale=%g as_of=%d months=%d persons=%ld employers=%ld enrollments=%ld "
                 "contributions=%ld population=%ld faults=%ld seconds=%.1f",
                 (unsigned long long)p.seed, p.scale, p.as_of, p.months, st.persons, st.employers,
                 st.enrollments, st.contributions, st.population, nf, secs);
    for (int s = 0; s < SIB_NSCHEMES; s++)
        sib_log_info("gen", "scheme=%s insured=%ld target=%ld beneficiaries=%ld", sib_scheme_code(s),
                     st.insured[s], st.target[s], st.beneficiaries[s]);
    sib_log_info("gen", "project_based=%ld land_expropriated=%ld expected_lapsed=%ld expected_uninsured=%ld "
                 "expected_conflict=%ld expected_duplicate_pairs=%ld", st.project_based, st.land,
                 st.expected_lapsed, st.expected_uninsured, st.expected_conflict, st.expected_pairs);
    return SIB_EXIT_OK;
}
