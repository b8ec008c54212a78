/* test-mail.c — templates, MIME composition, SMTP delivery against a real aiosmtpd, Maildir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mail-maildir.h"
#include "mail-message.h"
#include "mail-smtp.h"
#include "mail-template.h"
#include "test-mail-utils.h"

static const char * const reg_values[] = {
  "first_name", "Jürgen",
  "last_name", "Weiß",
  "link", "https://zeugnis.example/account/set-password?token=abc",
  "expires", "29.11.2026, 19:20 Uhr",
  "sender_name", "Zeugnisgenerator",
  NULL,
};

/* R-MAIL-2: texts come from the shipped templates in data/mail (ZG_DATADIR in tests). */
static void
test_template_render (void)
{
  g_autoptr(ZgMailTemplates) templates = zg_mail_templates_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  g_assert_true (zg_mail_templates_render (templates, "password-reset", "de", reg_values,
                                           &subject, &body, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (subject, ==, "Passwort zurücksetzen für den Zeugnisgenerator");
  g_assert_nonnull (strstr (body, "Guten Tag Jürgen Weiß,"));
  g_assert_nonnull (strstr (body, "\nhttps://zeugnis.example/account/set-password?token=abc\n"));
  g_assert_nonnull (strstr (body, "gültig bis 29.11.2026, 19:20 Uhr"));
  g_assert_null (strstr (body, "{"));
  g_assert_null (strstr (body, "# "));
  g_assert_true (g_str_has_suffix (body, "\n"));
}

static void
test_template_language_fallback (void)
{
  g_autoptr(ZgMailTemplates) templates = zg_mail_templates_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *subject_en = NULL;
  g_autofree char *body_en = NULL;
  g_autofree char *subject_fr = NULL;
  g_autofree char *body_fr = NULL;
  g_autofree char *subject_bad = NULL;
  g_autofree char *body_bad = NULL;

  g_assert_true (zg_mail_templates_render (templates, "registration", "en", reg_values,
                                           &subject_en, &body_en, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (subject_en, "Your Zeugnisgenerator account"));

  /* No French template: German is the default language. */
  g_assert_true (zg_mail_templates_render (templates, "registration", "fr", reg_values,
                                           &subject_fr, &body_fr, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (subject_fr, ==,
                   "Ihr Zugang für den Zeugnisgenerator – bitte Passwort festlegen");

  /* A path in the name never reaches the file system. */
  g_assert_false (zg_mail_templates_render (templates, "../registration", "de", reg_values,
                                            &subject_bad, &body_bad, &error));
  g_assert_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_NOT_FOUND);
}

static char *
override_lookup (const char *name,
                 const char *lang,
                 gpointer    user_data)
{
  if (g_str_equal (name, "registration") && g_str_equal (lang, "de"))
    return g_strdup (user_data);
  return NULL;
}

/* R-MAIL-2: an edited template (E-Mail-Vorlagen) layers over the shipped file. */
static void
test_template_override (void)
{
  g_autoptr(ZgMailTemplates) templates = zg_mail_templates_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *subject2 = NULL;
  g_autofree char *body2 = NULL;

  zg_mail_templates_set_override (templates, override_lookup,
                                  g_strdup ("Subject: Willkommen, {first_name}!\r\n\r\n"
                                            "Link: {link}\r\n{{kein Platzhalter}}\r\n\r\n"),
                                  g_free);
  g_assert_true (zg_mail_templates_render (templates, "registration", "de", reg_values,
                                           &subject, &body, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (subject, ==, "Willkommen, Jürgen!");
  g_assert_cmpstr (body, ==,
                   "Link: https://zeugnis.example/account/set-password?token=abc\n"
                   "{kein Platzhalter}\n");

  /* Other templates still come from the files. */
  g_assert_true (zg_mail_templates_render (templates, "password-reset", "de", reg_values,
                                           &subject2, &body2, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (subject2, "Passwort zurücksetzen"));
}

static void
test_template_invalid (void)
{
  static const char * const bad_sources[] = {
    "Hallo {first_name}\n",
    "Subject: x\nkein Leerzeile\n",
    "Subject: x\n\n",
    "Subject: x\n\nHallo {frist_name}\n",
    "Subject: x\n\nHallo {first name}\n",
    "Subject: x\n\nHallo {\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_sources); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = NULL;
      g_autofree char *body = NULL;
      g_autofree char *expanded = NULL;

      if (zg_mail_template_parse (bad_sources[i], &subject, &body, &error))
        {
          expanded = zg_mail_template_expand (body, reg_values, FALSE, &error);
          g_assert_null (expanded);
        }
      g_assert_nonnull (error);
      g_assert_true (error->domain == ZG_MAIL_TEMPLATE_ERROR);
    }
}

/* A value can never add a header line through the subject. */
static void
test_template_subject_single_line (void)
{
  static const char * const values[] = { "first_name", "Eva\r\nBcc: evil@example.org", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = zg_mail_template_expand ("Hallo {first_name}", values, TRUE,
                                                      &error);

  g_assert_no_error (error);
  g_assert_cmpstr (subject, ==, "Hallo Eva  Bcc: evil@example.org");
}

static void
test_address_validation (void)
{
  static const char * const good[] = {
    "anna@example.org", "a.b+c@sub.example.de", "x@localhost", "jürgen@example.org",
    "info@müller-söhne.de",
  };
  static const char * const bad[] = {
    "", "anna", "@example.org", "anna@", "a@b@c", "anna @example.org", "<anna@example.org>",
    "anna@example.org\r\nRCPT TO:<evil@example.org>", "anna@exa mple.org", "anna..b@example.org",
    "anna@-example.org", "anna@example.org.", "anna@exa..mple.org", "an\tna@example.org",
    "anna@example.org\n", "anna\u00a0b@example.org", "anna@ex_ample.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (zg_mail_address_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (zg_mail_address_is_valid (bad[i]));
  g_assert_false (zg_mail_address_is_valid (NULL));
}

static GBytes *
build_test_message (ZgMailNewline newline)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 26, 19, 30, 0);
  GBytes *bytes;

  bytes = zg_mail_message_build ("Zeugnisgenerator Müller & Söhne", "noreply@zeugnis.example",
                                 "juergen@example.org",
                                 "Passwort zurücksetzen – Größe Ä Ö Ü ß",
                                 "Guten Tag Jürgen Weiß,\n\n"
                                 ".eine Zeile mit Punkt am Anfang\n"
                                 "https://zeugnis.example/account/set-password?token=A-b_9\n",
                                 date, "de", newline, &error);
  g_assert_no_error (error);
  return bytes;
}

/* R-MAIL-1: umlauts in subject and display name are RFC 2047 encoded, the body is UTF-8
 * quoted-printable; a MIME parser gets the original text back. */
static void
test_mime_umlauts (void)
{
  g_autoptr(GBytes) bytes = build_test_message (ZG_MAIL_NEWLINE_LF);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *from = NULL;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  InternetAddressList *list;
  InternetAddress *addr;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  raw = g_strndup (data, len);
  for (gsize i = 0; i < len; i++)
    g_assert_cmpuint ((guchar) raw[i], <, 0x80);  /* 7-bit clean on the wire */
  g_assert_nonnull (strstr (raw, "=?UTF-8?"));
  g_assert_nonnull (strstr (raw, "Content-Transfer-Encoding: quoted-printable"));
  g_assert_nonnull (strstr (raw, "charset=utf-8"));
  g_assert_nonnull (strstr (raw, "Message-Id: <"));
  g_assert_nonnull (strstr (raw, "@zeugnis.example>"));
  g_assert_nonnull (strstr (raw, "Date: Thu, 26 Nov 2026 19:30:00 +0000"));
  g_assert_nonnull (strstr (raw, "Auto-Submitted: auto-generated"));

  stream = g_mime_stream_mem_new_with_buffer (data, len);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (message);

  g_assert_cmpstr (g_mime_message_get_subject (message), ==,
                   "Passwort zurücksetzen – Größe Ä Ö Ü ß");
  list = g_mime_message_get_from (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  addr = internet_address_list_get_address (list, 0);
  g_assert_cmpstr (internet_address_get_name (addr), ==, "Zeugnisgenerator Müller & Söhne");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (addr)), ==,
                   "noreply@zeugnis.example");
  text = zg_test_message_text (message);
  g_assert_cmpstr (text, ==,
                   "Guten Tag Jürgen Weiß,\n\n"
                   ".eine Zeile mit Punkt am Anfang\n"
                   "https://zeugnis.example/account/set-password?token=A-b_9\n");

  g_object_unref (message);
  g_object_unref (parser);
  g_object_unref (stream);
}

static void
test_mime_rejects_bad_input (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = zg_mail_message_build ("X", "noreply@zeugnis.example",
                                 "a@example.org\r\nBcc: b@example.org", "s", "b\n", date, "de",
                                 ZG_MAIL_NEWLINE_CRLF, &error);
  g_assert_null (bytes);
  g_assert_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_INVALID_ADDRESS);
  g_clear_error (&error);

  bytes = zg_mail_message_build ("X\nBcc: b@example.org", "noreply@zeugnis.example",
                                 "a@example.org", "s", "b\n", date, "de",
                                 ZG_MAIL_NEWLINE_CRLF, &error);
  g_assert_null (bytes);
  g_assert_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_COMPOSE);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} SendResult;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendResult *r = user_data;

  r->ok = zg_smtp_send_finish (result, &r->error);
  r->done = TRUE;
}

static void
send_async_and_wait (ZgSmtpConfig *config,
                     GBytes       *message,
                     SendResult   *r)
{
  zg_smtp_send_async (config, "noreply@zeugnis.example", "juergen@example.org", message, NULL,
                      send_cb, r);
  zg_test_iterate_until (&r->done, 30000);
}

/* R-MAIL-1: delivery over SMTP with STARTTLS to a real server that verifies nothing of ours;
 * the peer certificate is verified against the configured CA. */
static void
test_smtp_starttls_delivery (void)
{
  g_autoptr(ZgTestSmtp) smtp = zg_test_smtp_new (TRUE);
  g_autoptr(GBytes) message = build_test_message (ZG_MAIL_NEWLINE_CRLF);
  g_autoptr(GPtrArray) received = NULL;
  g_autofree char *text = NULL;
  ZgSmtpConfig config = { 0 };
  SendResult r = { 0 };
  GMimeMessage *parsed;

  zg_test_smtp_start (smtp);
  config.url = (char *) zg_test_smtp_get_url (smtp);
  config.ca_file = (char *) zg_test_smtp_get_ca_file (smtp);

  send_async_and_wait (&config, message, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  received = zg_test_smtp_wait_messages (smtp, 1, 10000);
  g_assert_cmpuint (received->len, ==, 1);
  parsed = zg_test_parse_message_file (g_ptr_array_index (received, 0));
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==,
                   "Passwort zurücksetzen – Größe Ä Ö Ü ß");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "X-RcptTo"), ==,
                   "juergen@example.org");
  text = zg_test_message_text (parsed);
  /* libcurl dot-stuffs, the server un-stuffs: the line survives unchanged. */
  g_assert_nonnull (strstr (text, "\n.eine Zeile mit Punkt am Anfang\n"));
  g_object_unref (parsed);
}

/* R-MAIL-1: no plaintext fallback — a server without STARTTLS gets nothing. */
static void
test_smtp_plaintext_refused (void)
{
  g_autoptr(ZgTestSmtp) smtp = zg_test_smtp_new (FALSE);
  g_autoptr(GBytes) message = build_test_message (ZG_MAIL_NEWLINE_CRLF);
  ZgSmtpConfig config = { 0 };
  SendResult r = { 0 };

  zg_test_smtp_start (smtp);
  config.url = (char *) zg_test_smtp_get_url (smtp);
  config.ca_file = (char *) zg_test_smtp_get_ca_file (smtp);

  send_async_and_wait (&config, message, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_TLS);
  g_clear_error (&r.error);
  g_assert_cmpuint (zg_test_smtp_count (smtp), ==, 0);
}

/* R-MAIL-1: certificate verification is on; an untrusted certificate is refused. */
static void
test_smtp_untrusted_certificate (void)
{
  g_autoptr(ZgTestSmtp) smtp = zg_test_smtp_new (TRUE);
  g_autoptr(GBytes) message = build_test_message (ZG_MAIL_NEWLINE_CRLF);
  ZgSmtpConfig config = { 0 };
  SendResult r = { 0 };

  zg_test_smtp_start (smtp);
  config.url = (char *) zg_test_smtp_get_url (smtp);
  /* No ca_file: the system trust store does not know the test CA. */

  send_async_and_wait (&config, message, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_TLS);
  g_clear_error (&r.error);
  g_assert_cmpuint (zg_test_smtp_count (smtp), ==, 0);
}

/* Optional SMTP AUTH (R-MAIL-1): credentials go only inside TLS; wrong or missing ones are
 * refused by the server and reported. */
static void
test_smtp_auth (void)
{
  g_autoptr(ZgTestSmtp) smtp = zg_test_smtp_new_auth ("zeugnis@example.org", "Geheim-Relais-7");
  g_autoptr(GBytes) message = build_test_message (ZG_MAIL_NEWLINE_CRLF);
  ZgSmtpConfig config = { 0 };
  SendResult r1 = { 0 };
  SendResult r2 = { 0 };
  SendResult r3 = { 0 };

  zg_test_smtp_start (smtp);
  config.url = (char *) zg_test_smtp_get_url (smtp);
  config.ca_file = (char *) zg_test_smtp_get_ca_file (smtp);

  send_async_and_wait (&config, message, &r1);
  g_assert_false (r1.ok);
  g_assert_error (r1.error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_DELIVERY);
  g_clear_error (&r1.error);

  config.username = (char *) "zeugnis@example.org";
  config.password = (char *) "falsch";
  send_async_and_wait (&config, message, &r2);
  g_assert_false (r2.ok);
  g_assert_nonnull (r2.error);
  g_assert_null (strstr (r2.error->message, "falsch"));  /* no secret in the error text */
  g_clear_error (&r2.error);
  g_assert_cmpuint (zg_test_smtp_count (smtp), ==, 0);

  config.password = (char *) "Geheim-Relais-7";
  send_async_and_wait (&config, message, &r3);
  g_assert_no_error (r3.error);
  g_assert_true (r3.ok);
  {
    g_autoptr(GPtrArray) received = zg_test_smtp_wait_messages (smtp, 1, 10000);

    g_assert_cmpuint (received->len, ==, 1);
  }
}

static void
test_smtp_server_down (void)
{
  g_autoptr(ZgTestSmtp) smtp = zg_test_smtp_new (TRUE);  /* never started */
  g_autoptr(GBytes) message = build_test_message (ZG_MAIL_NEWLINE_CRLF);
  ZgSmtpConfig config = { 0 };
  SendResult r = { 0 };

  config.url = (char *) zg_test_smtp_get_url (smtp);
  config.ca_file = (char *) zg_test_smtp_get_ca_file (smtp);
  send_async_and_wait (&config, message, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_DELIVERY);
  g_clear_error (&r.error);
}

static void
test_smtp_config_check (void)
{
  static const char * const bad_urls[] = {
    "http://mail.example.org", "mail.example.org:587", "smtp://user:pw@mail.example.org",
    "smtp://", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      g_autoptr(GError) error = NULL;
      ZgSmtpConfig config = { .url = (char *) bad_urls[i] };

      g_assert_false (zg_smtp_config_check (&config, &error));
      g_assert_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_CONFIG);
    }
  {
    g_autoptr(GError) error = NULL;
    ZgSmtpConfig config = { .url = (char *) "smtp://mail.example.org:587",
                            .username = (char *) "u" };

    g_assert_false (zg_smtp_config_check (&config, &error));
    g_assert_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_CONFIG);
  }
  {
    g_autoptr(GError) error = NULL;
    ZgSmtpConfig config = { .url = (char *) "smtps://mail.example.org:465" };

    g_assert_true (zg_smtp_config_check (&config, &error));
    g_assert_no_error (error);
  }
}

static void
test_maildir_deliver (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build_test_message (ZG_MAIL_NEWLINE_LF);
  g_autofree char *dir = g_dir_make_tmp ("zg-maildir-XXXXXX", &error);
  g_autofree char *maildir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GDir) tmp = NULL;
  GMimeMessage *parsed;
  GStatBuf st;

  g_assert_no_error (error);
  maildir = g_build_filename (dir, "Maildir", NULL);
  g_assert_true (zg_maildir_deliver (maildir, message, &path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  paths = zg_test_maildir_messages (maildir);
  g_assert_cmpuint (paths->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (paths, 0), ==, path);
  tmp_dir = g_build_filename (maildir, "tmp", NULL);
  tmp = g_dir_open (tmp_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (tmp));  /* nothing half-written left behind */

  parsed = zg_test_parse_message_file (path);
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==,
                   "Passwort zurücksetzen – Größe Ä Ö Ü ß");
  g_object_unref (parsed);

  (void) g_unlink (path);
  (void) g_rmdir (tmp_dir);
  {
    g_autofree char *d1 = g_build_filename (maildir, "new", NULL);
    g_autofree char *d2 = g_build_filename (maildir, "cur", NULL);

    (void) g_rmdir (d1);
    (void) g_rmdir (d2);
  }
  (void) g_rmdir (maildir);
  (void) g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  zg_mail_message_init ();
  zg_smtp_global_init ();

  g_test_add_func ("/Zeugnis/Server/Mail/template-render", test_template_render);
  g_test_add_func ("/Zeugnis/Server/Mail/template-language-fallback",
                   test_template_language_fallback);
  g_test_add_func ("/Zeugnis/Server/Mail/template-override-R-MAIL-2", test_template_override);
  g_test_add_func ("/Zeugnis/Server/Mail/template-invalid", test_template_invalid);
  g_test_add_func ("/Zeugnis/Server/Mail/template-subject-single-line",
                   test_template_subject_single_line);
  g_test_add_func ("/Zeugnis/Server/Mail/address-validation", test_address_validation);
  g_test_add_func ("/Zeugnis/Server/Mail/mime-umlauts-R-MAIL-1", test_mime_umlauts);
  g_test_add_func ("/Zeugnis/Server/Mail/mime-rejects-bad-input", test_mime_rejects_bad_input);
  g_test_add_func ("/Zeugnis/Server/Mail/smtp-config-check", test_smtp_config_check);
  g_test_add_func ("/Zeugnis/Server/Mail/smtp-starttls-delivery-R-MAIL-1",
                   test_smtp_starttls_delivery);
  g_test_add_func ("/Zeugnis/Server/Mail/smtp-plaintext-refused-R-MAIL-1",
                   test_smtp_plaintext_refused);
  g_test_add_func ("/Zeugnis/Server/Mail/smtp-untrusted-certificate-R-MAIL-1",
                   test_smtp_untrusted_certificate);
  g_test_add_func ("/Zeugnis/Server/Mail/smtp-auth-R-MAIL-1", test_smtp_auth);
  g_test_add_func ("/Zeugnis/Server/Mail/smtp-server-down", test_smtp_server_down);
  g_test_add_func ("/Zeugnis/Server/Mail/maildir-deliver", test_maildir_deliver);

  return g_test_run ();
}
