/* zg-pdf-export.c — Save PDF… and Print… of the editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "zg-pdf.h"
#include "zg-pdf-export.h"

/* The document outlives the dialogs: they work on a private copy of what they need. */
typedef struct
{
  GtkWindow     *parent;
  ZgPdfRenderer *renderer;
  ZgPdfPages    *pages;
  GBytes        *pdf;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->parent);
  g_clear_pointer (&job->pages, zg_pdf_pages_free);
  g_clear_pointer (&job->renderer, zg_pdf_renderer_free);
  g_clear_pointer (&job->pdf, g_bytes_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static ZgPdfRenderer *
default_renderer (GError **error)
{
  g_autoptr(ZgFormatProfile) profile = zg_format_profile_new_default ();

  return zg_pdf_renderer_new (profile, error);
}

static void
show_error (GtkWindow  *parent,
            const char *heading,
            const char *message)
{
  GtkWidget *dialog;

  g_message ("%s: %s", heading, message);
  if (parent == NULL)
    return;
  dialog = adw_message_dialog_new (parent, heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
zg_pdf_export_to_file (const ZgDocument  *doc,
                       const char        *path,
                       GError           **error)
{
  g_autoptr(ZgPdfRenderer) renderer = NULL;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  renderer = default_renderer (error);
  if (renderer == NULL)
    return FALSE;
  return zg_pdf_renderer_render_to_file (renderer, doc, path, error);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  ExportJob       *job)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  gsize len = 0;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    {
      const char *data = g_bytes_get_data (job->pdf, &len);

      if (!g_file_replace_contents (file, data, len, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                    NULL, &error))
        show_error (job->parent, _("The PDF Could Not Be Saved"), error->message);
      else
        {
          uri = g_file_get_uri (file);
          if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
            g_message ("no viewer for %s: %s", uri, error->message);
        }
    }
  g_object_unref (dialog);
  export_job_free (job);
}

void
zg_pdf_export_save_dialog (GtkWindow        *parent,
                           const ZgDocument *doc,
                           const char       *suggested_name)
{
  g_autoptr(ExportJob) job = g_new0 (ExportJob, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  g_return_if_fail (doc != NULL);

  job->parent = parent != NULL ? g_object_ref (parent) : NULL;
  job->renderer = default_renderer (&error);
  if (job->renderer != NULL)
    job->pdf = zg_pdf_renderer_render_to_bytes (job->renderer, doc, &error);
  if (job->pdf == NULL)
    {
      show_error (parent, _("The PDF Could Not Be Created"), error->message);
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Save Reference as PDF"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     suggested_name != NULL ? suggested_name : "Zeugnis.pdf");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), g_steal_pointer (&job));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                ExportJob         *job)
{
  gtk_print_operation_set_n_pages (operation, (int) zg_pdf_pages_get_n_pages (job->pages));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              ExportJob         *job)
{
  zg_pdf_draw_page (gtk_print_context_get_cairo_context (context), job->pages, (guint) page_nr);
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               ExportJob               *job)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      show_error (job->parent, _("The Reference Could Not Be Printed"),
                  error != NULL ? error->message : _("Unknown error"));
    }
  /* Only a run that went on in the background hands its reference to this handler. */
  if (g_object_get_data (G_OBJECT (operation), "zg-async") != NULL)
    g_object_unref (operation);
}

void
zg_pdf_export_print (GtkWindow        *parent,
                     const ZgDocument *doc,
                     const char       *job_name)
{
  g_autoptr(ExportJob) job = g_new0 (ExportJob, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  GtkPrintOperation *operation;
  GtkPrintOperationResult result;

  g_return_if_fail (doc != NULL);

  job->parent = parent != NULL ? g_object_ref (parent) : NULL;
  job->renderer = default_renderer (&error);
  if (job->renderer != NULL)
    job->pages = zg_pdf_renderer_paginate (job->renderer, doc, &error);
  if (job->pages == NULL)
    {
      show_error (parent, _("The Reference Could Not Be Printed"), error->message);
      return;
    }
  operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, FALSE);
  if (job_name != NULL)
    gtk_print_operation_set_job_name (operation, job_name);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), job);
  g_signal_connect (operation, "done", G_CALLBACK (print_done_cb), job);
  g_object_set_data_full (G_OBJECT (operation), "zg-job", g_steal_pointer (&job),
                          (GDestroyNotify) export_job_free);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                                    &error);
  if (result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    {
      g_object_set_data (G_OBJECT (operation), "zg-async", GINT_TO_POINTER (1));
      return;
    }
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    show_error (parent, _("The Reference Could Not Be Printed"), error->message);
  g_object_unref (operation);
}
