/* zg-crypto.c — random tokens, hashes and constant-time comparison (OpenSSL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "zg-crypto.h"

gboolean
zg_random_bytes (guint8 *buf,
                 gsize   len)
{
  g_return_val_if_fail (buf != NULL || len == 0, FALSE);

  if (len > G_MAXINT)
    return FALSE;
  return RAND_bytes (buf, (int) len) == 1;
}

char *
zg_hex_encode (const guint8 *data,
               gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[i * 2] = digits[data[i] >> 4];
      out[i * 2 + 1] = digits[data[i] & 0x0f];
    }
  out[len * 2] = '\0';
  return out;
}

gboolean
zg_hex_decode (const char *hex,
               guint8     *out,
               gsize       out_len)
{
  g_return_val_if_fail (hex != NULL, FALSE);

  if (strlen (hex) != out_len * 2)
    return FALSE;
  for (gsize i = 0; i < out_len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[i * 2]);
      int lo = g_ascii_xdigit_value (hex[i * 2 + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) ((hi << 4) | lo);
    }
  return TRUE;
}

char *
zg_random_hex (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);

  if (!zg_random_bytes (buf, n_bytes))
    g_error ("CSPRNG failure");
  return zg_hex_encode (buf, n_bytes);
}

/* A URL-safe token of ZG_TOKEN_BYTES random bytes (base64url, no padding). */
char *
zg_random_token (void)
{
  guint8 buf[ZG_TOKEN_BYTES];
  g_autofree char *b64 = NULL;

  if (!zg_random_bytes (buf, sizeof buf))
    g_error ("CSPRNG failure");
  b64 = g_base64_encode (buf, sizeof buf);
  OPENSSL_cleanse (buf, sizeof buf);
  for (char *p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return g_steal_pointer (&b64);
}

char *
zg_sha256_hex (const void *data,
               gsize       len)
{
  guint8 md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;

  if (EVP_Digest (data, len, md, &md_len, EVP_sha256 (), NULL) != 1)
    g_error ("SHA-256 failure");
  return zg_hex_encode (md, md_len);
}

char *
zg_sha256_hex_str (const char *str)
{
  g_return_val_if_fail (str != NULL, NULL);
  return zg_sha256_hex (str, strlen (str));
}

gboolean
zg_constant_time_equal (const void *a,
                        const void *b,
                        gsize       len)
{
  return CRYPTO_memcmp (a, b, len) == 0;
}

/* Compares two strings without leaking where they differ; only the length may leak. */
gboolean
zg_constant_time_str_equal (const char *a,
                            const char *b)
{
  gsize la, lb;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  if (la != lb)
    return FALSE;
  return CRYPTO_memcmp (a, b, la) == 0;
}
