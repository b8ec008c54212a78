/* zg-cache-summary.h — typed summaries of the cached certificates, for fast lists and search
 *
 * Every write of a certificate record (a pull, a local edit, an acknowledged push) refreshes
 * its row in the table certificate_summaries (cache schema 2), so a list of 10,000
 * certificates is read from typed columns without parsing any JSON. Docs: docs/client-cache.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-cache.h"

G_BEGIN_DECLS

typedef struct
{
  char     *id;
  gint64    rev;           /* 0 = created locally, never acknowledged by the server */
  gint64    updated;       /* local write time, µs since the epoch */
  char     *first_name;    /* NULL when not given */
  char     *last_name;
  char     *position;      /* daten.zeugnisdaten.position */
  char     *company;       /* daten.unternehmen.name */
  char     *kind;          /* key: endzeugnis, zwischenzeugnis, ... */
  char     *language;      /* "de", "en" */
  char     *status;        /* key: draft, handed-over, handover-finished, review, approved,
                              completed */
  gboolean  is_private;
  char     *issue_date;    /* YYYY-MM-DD */
  /* Process data from the server (R-DATA-4); 0 = unknown, e.g. created locally */
  gint64    created_by;
  gint64    created_at;    /* seconds since the epoch */
  gint64    updated_by;
  gint64    updated_at;
  /* Search and sort keys: zg_cache_summary_fold() of the fields */
  char     *name_key;      /* "last first" */
  char     *position_key;
  char     *company_key;
  char     *search_key;    /* name, position and company, also with umlauts spelled ae/oe/ue */
  /* From the outbox */
  gboolean  pending;       /* local edits not yet acknowledged (pending or sent) */
  gboolean  problem;       /* a conflict or a rejected edit waits for the user */
} ZgCertificateSummary;

GPtrArray            *zg_cache_list_certificate_summaries (ZgCache               *self,
                                                           GError               **error);
ZgCertificateSummary *zg_cache_get_certificate_summary    (ZgCache               *self,
                                                           const char            *id,
                                                           GError               **error);
void                  zg_certificate_summary_free         (ZgCertificateSummary  *summary);

/* Case-, accent- and umlaut-insensitive form for search and sorting: NFD, combining marks
 * dropped, case-folded ("Groß Müller" → "gross muller"). */
char                 *zg_cache_summary_fold               (const char            *text);
/* TRUE when every whitespace-separated word of @folded_query (already folded) occurs in
 * @search_key. An empty query matches everything. */
gboolean              zg_cache_summary_matches            (const char            *search_key,
                                                           const char * const    *folded_words);

/* Internal, for zg-cache.c: the SQL function the summary triggers call, and the process data
 * of a pulled record. */
gboolean              _zg_cache_summary_register          (ZgCache               *self,
                                                           GError               **error);
gboolean              _zg_cache_put_process               (ZgCache               *self,
                                                           const ZgCacheRecord   *record,
                                                           GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCertificateSummary, zg_certificate_summary_free)

G_END_DECLS
