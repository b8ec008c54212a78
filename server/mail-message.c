/* mail-message.c — MIME composition of outgoing mails (GMime 3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GMime does the RFC 2047 encoding of subject and display names (German umlauts) and the
 * quoted-printable body; we only decide the headers.
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "mail-message.h"

GQuark
zg_mail_error_quark (void)
{
  return g_quark_from_static_string ("zg-mail-error-quark");
}

void
zg_mail_message_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/* Deliberately narrower than RFC 5321/6531: no quoting, comments or whitespace, so that
 * nothing a user typed can smuggle an SMTP command or a header. UTF-8 is allowed in both
 * parts (umlaut domains are converted by curl/libidn2; a UTF-8 local part needs a server with
 * SMTPUTF8, which curl uses when the server offers it). */
gboolean
zg_mail_address_is_valid (const char *address)
{
  const char *at;
  const char *domain;
  gsize len;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return FALSE;
  len = strlen (address);
  if (len < 3 || len > 254)
    return FALSE;
  at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') != NULL || (gsize) (at - address) > 64)
    return FALSE;
  domain = at + 1;

  for (const char *p = address; p < at; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && !g_ascii_isalnum (c) && strchr ("!#$%&'*+-/=?^_`{|}~.", (int) c) == NULL)
        return FALSE;
      if (c >= 0x80 && (g_unichar_isspace (c) || g_unichar_iscntrl (c) || !g_unichar_isgraph (c)))
        return FALSE;
    }
  if (address[0] == '.' || at[-1] == '.' || g_strstr_len (address, at - address, "..") != NULL)
    return FALSE;

  if (*domain == '\0' || *domain == '.' || *domain == '-' || address[len - 1] == '.'
      || address[len - 1] == '-' || strstr (domain, "..") != NULL)
    return FALSE;
  for (const char *p = domain; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && !g_ascii_isalnum (c) && c != '-' && c != '.')
        return FALSE;
      if (c >= 0x80 && !g_unichar_isalnum (c))
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_line_break (const char *s)
{
  return s != NULL && strpbrk (s, "\r\n") != NULL;
}

GBytes *
zg_mail_message_build (const char     *from_name,
                       const char     *from_address,
                       const char     *to_address,
                       const char     *subject,
                       const char     *body,
                       GDateTime      *date,
                       const char     *lang,
                       ZgMailNewline   newline,
                       GError        **error)
{
  GMimeMessage *message = NULL;
  GMimePart *part = NULL;
  GMimeStream *stream = NULL;
  GMimeDataWrapper *content = NULL;
  GMimeFormatOptions *options = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *text = NULL;
  const char *domain;
  gsize len;

  g_return_val_if_fail (from_address != NULL, NULL);
  g_return_val_if_fail (to_address != NULL, NULL);
  g_return_val_if_fail (subject != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (date != NULL, NULL);

  zg_mail_message_init ();

  if (!zg_mail_address_is_valid (from_address))
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_INVALID_ADDRESS,
                   "Invalid sender address");
      return NULL;
    }
  if (!zg_mail_address_is_valid (to_address))
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_INVALID_ADDRESS,
                   "Invalid recipient address");
      return NULL;
    }
  if (has_line_break (subject) || has_line_break (from_name)
      || !g_utf8_validate (subject, -1, NULL) || !g_utf8_validate (body, -1, NULL)
      || (from_name != NULL && !g_utf8_validate (from_name, -1, NULL)))
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_COMPOSE,
                   "Subject and sender name must be single-line UTF-8");
      return NULL;
    }

  message = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM,
                              from_name != NULL && *from_name ? from_name : NULL, from_address);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, to_address);
  g_mime_message_set_subject (message, subject, "utf-8");
  g_mime_message_set_date (message, date);

  domain = strchr (from_address, '@') + 1;
  message_id = g_mime_utils_generate_message_id (domain);
  g_mime_message_set_message_id (message, message_id);

  /* RFC 3834: tells auto-responders not to answer a machine-generated mail. */
  g_mime_object_set_header (GMIME_OBJECT (message), "Auto-Submitted", "auto-generated", NULL);
  if (lang != NULL && *lang != '\0' && !has_line_break (lang))
    g_mime_object_set_header (GMIME_OBJECT (message), "Content-Language", lang, NULL);

  /* Not g_mime_text_part_set_text(): it would transcode to ISO-8859-1 where possible. The body
   * stays UTF-8 as written in the template. */
  part = g_mime_part_new_with_type ("text", "plain");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (part), "charset", "utf-8");
  stream = g_mime_stream_mem_new_with_buffer (body, strlen (body));
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (part));

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options,
                                            newline == ZG_MAIL_NEWLINE_CRLF
                                              ? GMIME_NEWLINE_FORMAT_DOS
                                              : GMIME_NEWLINE_FORMAT_UNIX);
  text = g_mime_object_to_string (GMIME_OBJECT (message), options);
  g_mime_format_options_free (options);
  g_object_unref (content);
  g_object_unref (stream);
  g_object_unref (part);
  g_object_unref (message);
  if (text == NULL)
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_COMPOSE, "Could not serialise the mail");
      return NULL;
    }
  len = strlen (text);
  return g_bytes_new_take (g_steal_pointer (&text), len);
}
