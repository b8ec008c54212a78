/* zg-certificate-pins.h — server certificates the user confirmed by their SHA-256 fingerprint
 *
 * For self-hosted servers with their own CA or a self-signed certificate: after the user
 * confirmed the fingerprint, exactly that certificate is accepted for that host and port.
 * A small key file in the user's config folder (fingerprints are public, not secrets).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *zg_certificate_fingerprint          (GTlsCertificate  *certificate);
char     *zg_certificate_pins_default_path    (void);
char     *zg_certificate_pins_key_for_uri     (GUri             *uri);
char     *zg_certificate_pins_lookup          (const char       *path,
                                               const char       *host_port,
                                               GError          **error);
gboolean  zg_certificate_pins_set             (const char       *path,
                                               const char       *host_port,
                                               const char       *fingerprint,
                                               GError          **error);
gboolean  zg_certificate_pins_remove          (const char       *path,
                                               const char       *host_port,
                                               GError          **error);

G_END_DECLS
