/* zg-session-private.h — the instance struct, shared by the files of this class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "zg-session.h"

G_BEGIN_DECLS

typedef enum
{
  CERT_NOT_ASKED,   /* the system trusted it, or no handshake happened */
  CERT_PINNED,      /* accepted because it matches the confirmed fingerprint */
  CERT_UNTRUSTED,   /* refused: nothing confirmed for this host yet */
  CERT_CHANGED,     /* refused: differs from the confirmed fingerprint */
  CERT_PINS_BROKEN, /* refused: the pin file could not be read */
} CertOutcome;

struct _ZgSession
{
  GObject      parent_instance;

  SoupSession *soup;
  char        *server_url;   /* normalised: https://host[:port] */
  char        *pin_key;      /* host:port */
  char        *pins_path;
  char        *email;
  char        *token;
  JsonObject  *user;
  guint        retry_after;
  CertOutcome  cert_outcome;
  char        *presented_fingerprint;
  char        *pinned_fingerprint;
};

CertOutcome _zg_session_check_certificate (const char       *pins_path,
                                          const char       *pin_key,
                                          GTlsCertificate  *certificate,
                                          char            **out_presented,
                                          char            **out_pinned);

G_END_DECLS
