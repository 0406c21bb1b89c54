/* report.c — sibatch report: the managers' summary page of a published run. */
#include "command/cli.h"
#include "command/commands.h"
#include "common/log.h"
#include "report/report.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: sibatch report [--as-of YYYY-MM | --manifest PATH] [--dir DIR] [--out FILE]\n\n"
    "Writes summary.html (one self-contained page: inline CSS and SVG charts, for a\n"
    "browser, a phone or A4 paper) and summary.txt (the headline numbers as plain\n"
    "text) from a published run: DIR/<YYYY-MM>/manifest.json, the extracts beside it\n"
    "and the manifests of earlier months in DIR (the clearing campaign's trend).\n"
    "No database is needed.\n\n"
    "  --as-of YYYY-MM      the month to report (default: the latest month in DIR)\n"
    "  --manifest PATH      a manifest.json anywhere (instead of --as-of)\n"
    "  --dir DIR            the output directory of sibatch run (default ./out)\n"
    "  --out FILE           write the page to FILE and the text beside it\n"
    "                       (FILE with .html replaced by .txt); default: beside\n"
    "                       the manifest\n"
    "  --config FILE        JSON configuration (logging options)\n"
    "  --log-level LEVEL    debug, info, warn or error (default info)\n"
    "  --log-format FORMAT  kv (key=value lines) or json (JSON lines)\n"
    "  -h, --help           this help\n\n"
    "Exit codes: 0 written, 1 the run's files cannot be read or written, 2 usage.\n";

/* The latest DIR/<YYYY-MM> holding a manifest.json into month; 0 if none. */
static int latest_month(const char *dir, char month[8])
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    month[0] = '\0';
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *s = de->d_name;
        if (strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789-") != 7 || strcmp(s, month) <= 0)
            continue;
        char p[4200];
        snprintf(p, sizeof p, "%s/%s/manifest.json", dir, s);
        if (access(p, R_OK) == 0)
            snprintf(month, 8, "%s", s);
    }
    closedir(d);
    return month[0] != '\0';
}

int sib_cmd_report(int argc, char **argv)
{
    enum { OPT_ASOF = 1, OPT_MANIFEST, OPT_DIR, OPT_OUT };
    static const struct option opts[] = {
        { "as-of", required_argument, NULL, OPT_ASOF },
        { "manifest", required_argument, NULL, OPT_MANIFEST },
        { "dir", required_argument, NULL, OPT_DIR },
        { "out", required_argument, NULL, OPT_OUT },
        { "config", required_argument, NULL, SIB_OPT_CONFIG },
        { "log-level", required_argument, NULL, SIB_OPT_LOG_LEVEL },
        { "log-format", required_argument, NULL, SIB_OPT_LOG_FORMAT },
        { "help", no_argument, NULL, 'h' },
        { 0 }
    };
    sib_cli cli;
    sib_cli_init(&cli, "report");
    const char *as_of = NULL, *manifest = NULL, *dir = "out", *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(help, stdout); return SIB_EXIT_OK;
        case OPT_ASOF: as_of = optarg; break;
        case OPT_MANIFEST: manifest = optarg; break;
        case OPT_DIR: dir = optarg; break;
        case OPT_OUT: out = optarg; break;
        default:
            if (!sib_cli_common(&cli, c, optarg))
                return sib_cli_bad_option("report", argv);
        }
    }
    if (optind < argc)
        return sib_cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    if (as_of && manifest)
        return sib_cli_usage_error("report", "--as-of and --manifest exclude each other");
    int yyyymm = 0;
    if (as_of && sib_cli_parse_month(as_of, &yyyymm) != SIB_OK)
        return sib_cli_usage_error("report", "--as-of '%s' is not YYYY-MM", as_of);
    int rc = sib_cli_finish(&cli);
    if (rc)
        return rc;

    char path[4200], month[8];
    if (!manifest) {
        if (as_of) {
            snprintf(month, sizeof month, "%04d-%02d", yyyymm / 100, yyyymm % 100);
        } else if (!latest_month(dir, month)) {
            fprintf(stderr, "sibatch report: no DIR/<YYYY-MM>/manifest.json in '%s' (see --dir, --manifest)\n", dir);
            return SIB_EXIT_FAILURE;
        }
        snprintf(path, sizeof path, "%s/%s/manifest.json", dir, month);
        manifest = path;
    }
    sib_error err = { 0 };
    if (sib_report_write(manifest, out, &err) != SIB_OK) {
        fprintf(stderr, "sibatch report: %s\n", err.msg);
        return SIB_EXIT_FAILURE;
    }
    char html[4200], text[4200];
    if (out)
        snprintf(html, sizeof html, "%s", out);
    else {
        char *slash = strrchr(manifest, '/');
        snprintf(html, sizeof html, "%.*ssummary.html", slash ? (int)(slash - manifest + 1) : 0, manifest);
    }
    if (sib_report_txt_path(html, text, sizeof text) != SIB_OK)
        snprintf(text, sizeof text, "?");
    printf("%s\n%s\n", html, text);
    return SIB_EXIT_OK;
}
