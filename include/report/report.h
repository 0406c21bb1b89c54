/*
 * report.h — the managers' summary of a published run (issue 6):
 * summary.html (one self-contained page: inline CSS and SVG, no external
 * resource, readable on a phone, printable on A4, labels in Chinese and
 * English) and summary.txt (the same headline numbers for e-mail and
 * terminals), built only from the manifest, the three extracts beside it and
 * the manifests of earlier months (campaign trend). See docs/report.md.
 *
 * Both files are written atomically (common/fsx.h), mode 0640.
 */
#ifndef SIB_REPORT_REPORT_H
#define SIB_REPORT_REPORT_H

#include "common/db.h"
#include "common/error.h"
#include "report/model.h"

/* Writes summary.html and summary.txt beside manifest_path, or the page to
 * html_out and the text beside it (html_out with .html/.htm replaced by
 * .txt, else with .txt appended). SIB_ERR with err naming the file. */
int sib_report_write(const char *manifest_path, const char *html_out, sib_error *err);

/* The same with the directory holding the earlier months' <YYYY-MM>/
 * folders given explicitly (NULL = derived from manifest_path, see
 * report/model.h): for the nightly run writing into a staging directory. */
int sib_report_write_in(const char *manifest_path, const char *history_dir,
                        const char *html_out, sib_error *err);

/* Renders the page / the text of a loaded model into out (appended). */
int sib_report_render_html(const sib_report_model *m, sib_buf *out);
int sib_report_render_text(const sib_report_model *m, sib_buf *out);

/* The text file's path for a page path (see sib_report_write). */
int sib_report_txt_path(const char *html_path, char *out, size_t cap);

#endif
