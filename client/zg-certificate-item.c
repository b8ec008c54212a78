/* zg-certificate-item.c — one certificate in the main window's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-certificate-item.h"
#include "zg-certificate-item-private.h"


G_DEFINE_FINAL_TYPE (ZgCertificateItem, zg_certificate_item, G_TYPE_OBJECT)

ZgCertificateItem *
zg_certificate_item_new (ZgCertificateSummary *summary)
{
  ZgCertificateItem *self;
  const char *first;
  const char *last;

  g_return_val_if_fail (summary != NULL, NULL);

  self = g_object_new (ZG_TYPE_CERTIFICATE_ITEM, NULL);
  self->summary = summary;
  first = summary->first_name != NULL ? summary->first_name : "";
  last = summary->last_name != NULL ? summary->last_name : "";
  if (*first != '\0' && *last != '\0')
    self->name = g_strconcat (first, " ", last, NULL);
  else if (*first != '\0' || *last != '\0')
    self->name = g_strdup (*first != '\0' ? first : last);
  else
    self->name = g_strdup (_("(no name yet)"));
  return self;
}

static void
zg_certificate_item_finalize (GObject *object)
{
  ZgCertificateItem *self = ZG_CERTIFICATE_ITEM (object);

  g_clear_pointer (&self->summary, zg_certificate_summary_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (zg_certificate_item_parent_class)->finalize (object);
}

static void
zg_certificate_item_class_init (ZgCertificateItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zg_certificate_item_finalize;
}

static void
zg_certificate_item_init (ZgCertificateItem *self)
{
}

const ZgCertificateSummary *
zg_certificate_item_get_summary (ZgCertificateItem *self)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_ITEM (self), NULL);
  return self->summary;
}

const char *
zg_certificate_item_get_id (ZgCertificateItem *self)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_ITEM (self), NULL);
  return self->summary->id;
}

const char *
zg_certificate_item_get_name (ZgCertificateItem *self)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_ITEM (self), NULL);
  return self->name;
}

gint64
zg_certificate_item_get_last_change (ZgCertificateItem *self)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_ITEM (self), 0);

  if (self->summary->pending || self->summary->updated_at <= 0)
    return self->summary->updated / G_USEC_PER_SEC;
  return self->summary->updated_at;
}

gboolean
zg_certificate_item_is_mine (ZgCertificateItem *self,
                             gint64             user_id)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_ITEM (self), FALSE);

  if (self->summary->created_by > 0)
    return self->summary->created_by == user_id;
  return self->summary->rev == 0;
}

const char *
zg_certificate_status_label (const char *status)
{
  static const struct { const char *key; const char *label; } labels[] = {
    { "draft", N_("Draft") },
    { "handed-over", N_("With Supervisor") },
    { "handover-finished", N_("Editing Finished") },
    { "review", N_("In Review") },
    { "approved", N_("Approved") },
    { "completed", N_("Completed") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (status, labels[i].key) == 0)
      return _(labels[i].label);
  return status != NULL ? status : "";
}

const char *
zg_certificate_kind_label (const char *kind)
{
  static const struct { const char *key; const char *label; } labels[] = {
    { "endzeugnis", N_("Final Reference") },
    { "zwischenzeugnis", N_("Interim Reference") },
    { "ausbildungszeugnis", N_("Apprenticeship Reference") },
    { "praktikumszeugnis", N_("Internship Reference") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (kind, labels[i].key) == 0)
      return _(labels[i].label);
  return kind != NULL ? kind : "";
}

char *
zg_format_relative_time (gint64 then,
                         gint64 now)
{
  g_autoptr(GDateTime) then_local = NULL;
  g_autoptr(GDateTime) now_local = NULL;
  gint64 diff = now - then;
  int days;

  if (then <= 0)
    return g_strdup (_("never"));
  if (diff < 60)
    return g_strdup (_("just now"));
  if (diff < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         (gulong) (diff / 60)), (int) (diff / 60));
  then_local = g_date_time_new_from_unix_local (then);
  now_local = g_date_time_new_from_unix_local (now);
  if (then_local == NULL || now_local == NULL)
    return g_strdup ("");
  {
    GDate then_date;
    GDate now_date;

    g_date_clear (&then_date, 1);
    g_date_clear (&now_date, 1);
    g_date_set_dmy (&then_date, (GDateDay) g_date_time_get_day_of_month (then_local),
                    (GDateMonth) g_date_time_get_month (then_local),
                    (GDateYear) g_date_time_get_year (then_local));
    g_date_set_dmy (&now_date, (GDateDay) g_date_time_get_day_of_month (now_local),
                    (GDateMonth) g_date_time_get_month (now_local),
                    (GDateYear) g_date_time_get_year (now_local));
    days = g_date_days_between (&then_date, &now_date);
  }
  if (days <= 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         (gulong) (diff / 3600)), (int) (diff / 3600));
  if (days == 1)
    return g_strdup (_("yesterday"));
  if (days < 7)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                         (gulong) days), days);
  /* TRANSLATORS: a date in the list of references, strftime format (German: %d.%m.%Y) */
  return g_date_time_format (then_local, _("%m/%d/%Y"));
}
