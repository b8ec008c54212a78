/* zg-crypto.h — random tokens, hashes and constant-time comparison (OpenSSL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZG_TOKEN_BYTES 32  /* 256 bits, well above the 128-bit minimum of DESIGN.md */

gboolean  zg_random_bytes          (guint8       *buf,
                                    gsize         len);
char     *zg_random_token          (void);
char     *zg_random_hex            (gsize         n_bytes);
char     *zg_sha256_hex            (const void   *data,
                                    gsize         len);
char     *zg_sha256_hex_str        (const char   *str);
gboolean  zg_constant_time_equal   (const void   *a,
                                    const void   *b,
                                    gsize         len);
gboolean  zg_constant_time_str_equal (const char *a,
                                      const char *b);
char     *zg_hex_encode            (const guint8 *data,
                                    gsize         len);
gboolean  zg_hex_decode            (const char   *hex,
                                    guint8       *out,
                                    gsize         out_len);

G_END_DECLS
