/* main.c — the zeugnis-server command line
 *
 *   zeugnis-server --data-dir DIR init [--key-file PATH]
 *   zeugnis-server --data-dir DIR user add --email E --first-name F --last-name L
 *                                           --role Administrator --password-stdin
 *   zeugnis-server --data-dir DIR user unlock --email E
 *   zeugnis-server --data-dir DIR user deactivate --email E
 *   zeugnis-server --data-dir DIR serve [--listen 127.0.0.1:8443]
 *   zeugnis-server --data-dir DIR demo-data [--admin-email E] [--hr-email E]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <openssl/crypto.h>

#include "audit.h"
#include "auth-password.h"
#include "demo-data.h"
#include "http.h"
#include "users.h"
#include "zg-password-policy.h"
#include "zg-server.h"

static char *data_dir;

static int
fail (const char *message)
{
  /* One line, no crash: what an operator needs to act. */
  g_printerr ("zeugnis-server: %s\n", message);
  return 1;
}

static int
fail_error (const GError *error)
{
  g_autofree char *line = g_strdup (error->message);

  g_strdelimit (line, "\n", ' ');
  return fail (line);
}

static gboolean
parse_sub_options (GOptionEntry  *entries,
                   const char    *name,
                   int           *argc,
                   char        ***argv,
                   GError       **error)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (name);

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "unexpected argument '%s'",
                   (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_init (int    argc,
          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_file = NULL;
  GOptionEntry entries[] = {
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      "Where to write the database key (default: DIR/zeugnis.key)", "PATH" },
    { NULL }
  };

  if (!parse_sub_options (entries, "init", &argc, &argv, &error))
    return fail_error (error);
  if (!zg_server_init_data_dir (data_dir, key_file, TRUE, &error))
    return fail_error (error);
  g_print ("Initialised %s (database key in %s). Add an administrator with "
           "'zeugnis-server --data-dir %s user add ... --password-stdin'.\n",
           data_dir, key_file != NULL ? key_file : "zeugnis.key", data_dir);
  return 0;
}

static char *
read_password_stdin (GError **error)
{
  char buf[ZG_PASSWORD_MAX_BYTES + 2];
  gsize len;

  if (fgets (buf, sizeof buf, stdin) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "no password on standard input");
      return NULL;
    }
  len = strlen (buf);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    buf[--len] = '\0';
  if (len > ZG_PASSWORD_MAX_BYTES)
    {
      OPENSSL_cleanse (buf, sizeof buf);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "password too long");
      return NULL;
    }
  {
    char *copy = g_strdup (buf);

    OPENSSL_cleanse (buf, sizeof buf);
    return copy;
  }
}

static int
user_add (ZgServer *server,
          int       argc,
          char    **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL, *first = NULL, *last = NULL, *role = NULL, *phone = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  gboolean password_stdin = FALSE;
  gint64 role_id, user_id;
  ZgUser probe = { 0 };
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "E-mail address", "E" },
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first, "First name", "F" },
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last, "Last name", "L" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "Role name (e.g. Administrator)", "ROLE" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, "Phone number (optional)", "PHONE" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password from standard input", NULL },
    { NULL }
  };

  if (!parse_sub_options (entries, "user add", &argc, &argv, &error))
    return fail_error (error);
  if (email == NULL || first == NULL || last == NULL || role == NULL || !password_stdin)
    return fail ("user add needs --email, --first-name, --last-name, --role and "
                 "--password-stdin");
  role_id = zg_roles_find_by_name (server, role);
  if (role_id == 0)
    return fail ("no such role");

  password = read_password_stdin (&error);
  if (password == NULL)
    return fail_error (error);
  probe.email = email;
  probe.first_name = first;
  probe.last_name = last;
  reasons = zg_users_check_password (server, password, &probe);
  if (reasons->len > 0)
    {
      g_autoptr(GString) msg = g_string_new ("password rejected:");

      for (guint i = 0; i < reasons->len; i++)
        g_string_append_printf (msg, " %s", zg_password_reason_describe (reasons->pdata[i]));
      OPENSSL_cleanse (password, strlen (password));
      return fail (msg->str);
    }
  hash = zg_password_hash_sync (password, &error);
  OPENSSL_cleanse (password, strlen (password));
  if (hash == NULL)
    return fail_error (error);
  user_id = zg_users_create (server, email, first, last, phone, role_id, hash, &error);
  if (user_id == 0)
    return fail_error (error);
  zg_audit_log (server, user_id, email, NULL, ZG_AUDIT_USER_CREATED, "via command line");
  {
    g_autofree char *normalized = zg_users_normalize_email (email);

    g_print ("User %s created (id %" G_GINT64_FORMAT ").\n", normalized, user_id);
  }
  return 0;
}

static int
user_by_email (ZgServer   *server,
               int         argc,
               char      **argv,
               const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autoptr(ZgUser) user = NULL;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "E-mail address", "E" },
    { NULL }
  };

  if (!parse_sub_options (entries, what, &argc, &argv, &error))
    return fail_error (error);
  if (email == NULL)
    return fail ("--email is required");
  user = zg_users_find_by_email (server, email, &error);
  if (user == NULL)
    return error != NULL ? fail_error (error) : fail ("no such user");

  if (strcmp (what, "unlock") == 0)
    {
      if (!zg_users_unlock (server, user->id, &error))
        return fail_error (error);
      zg_audit_log (server, user->id, user->email, NULL, ZG_AUDIT_ACCOUNT_UNLOCKED,
                    "via command line");
      g_print ("User %s unlocked.\n", user->email);
    }
  else
    {
      if (user->active && (user->role_areas & ZG_AREA_ADMINISTRATOR) &&
          zg_users_count_active_admins (server) <= 1)
        return fail ("the last active administrator cannot be deactivated");
      if (!zg_users_set_active (server, user->id, FALSE, &error))
        return fail_error (error);
      zg_audit_log (server, user->id, user->email, NULL, ZG_AUDIT_USER_DEACTIVATED,
                    "via command line");
      g_print ("User %s deactivated; all sessions ended.\n", user->email);
    }
  return 0;
}

static int
cmd_user (int    argc,
          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgServer) server = NULL;

  if (argc < 2)
    return fail ("user needs a sub-command: add, unlock or deactivate");
  server = zg_server_new (data_dir, &error);
  if (server == NULL)
    return fail_error (error);
  if (strcmp (argv[1], "add") == 0)
    return user_add (server, argc - 1, argv + 1);
  if (strcmp (argv[1], "unlock") == 0)
    return user_by_email (server, argc - 1, argv + 1, "unlock");
  if (strcmp (argv[1], "deactivate") == 0)
    return user_by_email (server, argc - 1, argv + 1, "deactivate");
  return fail ("unknown user sub-command (add, unlock, deactivate)");
}

/* Demo companies, employees and certificates (scripts/demo.sh); nothing when they exist. */
static int
cmd_demo_data (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgServer) server = NULL;
  g_autofree char *admin_email = NULL, *hr_email = NULL;
  ZgDemoDataSummary summary = { 0 };
  GOptionEntry entries[] = {
    { "admin-email", 0, 0, G_OPTION_ARG_STRING, &admin_email,
      "The demo administrator (default " ZG_DEMO_ADMIN_EMAIL ")", "E" },
    { "hr-email", 0, 0, G_OPTION_ARG_STRING, &hr_email,
      "The demo HR user (default " ZG_DEMO_HR_EMAIL ")", "E" },
    { NULL }
  };

  if (!parse_sub_options (entries, "demo-data", &argc, &argv, &error))
    return fail_error (error);
  server = zg_server_new (data_dir, &error);
  if (server == NULL)
    return fail_error (error);
  if (!zg_demo_data_install (server, admin_email != NULL ? admin_email : ZG_DEMO_ADMIN_EMAIL,
                             hr_email != NULL ? hr_email : ZG_DEMO_HR_EMAIL, &summary, &error))
    return fail_error (error);
  if (!summary.created)
    g_print ("Demo data exist already; nothing changed.\n");
  else
    g_print ("Demo data created: %u companies, %u employee types, %u job profiles, "
             "%u qualifications, %u employees, %u certificates (%u status changes).\n",
             summary.companies, summary.employee_types, summary.job_profiles,
             summary.qualifications, summary.employees, summary.certificates,
             summary.status_changes);
  return 0;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_listen (const char  *listen,
              char       **out_host,
              guint16     *out_port)
{
  const char *colon = strrchr (listen, ':');
  guint64 port = 0;

  if (colon == NULL || colon == listen ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    return FALSE;
  if (listen[0] == '[' && colon[-1] == ']')
    *out_host = g_strndup (listen + 1, (gsize) (colon - listen - 2));
  else
    *out_host = g_strndup (listen, (gsize) (colon - listen));
  *out_port = (guint16) port;
  return TRUE;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgServer) server = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0, bound = 0;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (HOST:PORT)",
      "HOST:PORT" },
    { NULL }
  };

  if (!parse_sub_options (entries, "serve", &argc, &argv, &error))
    return fail_error (error);
  server = zg_server_new (data_dir, &error);
  if (server == NULL)
    return fail_error (error);
  if (listen == NULL)
    listen = zg_server_get_listen (server);
  if (!parse_listen (listen, &host, &port))
    return fail ("--listen must be HOST:PORT, e.g. 127.0.0.1:8443");
  cert = zg_server_load_certificate (server, &error);
  if (cert == NULL)
    return fail_error (error);
  if (!zg_server_listen (server, host, port, cert, &bound, &error))
    return fail_error (error);

  g_print ("Zeugnis server listening on https://%s%s%s:%u\n",
           strchr (host, ':') != NULL ? "[" : "", host, strchr (host, ':') != NULL ? "]" : "",
           bound);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  g_print ("Zeugnis server stopped.\n");
  zg_server_shutdown (server);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Data directory", "DIR" },
    { NULL }
  };
  int rc;

  setlocale (LC_ALL, "");
  zg_server_set_tls_policy ();

  ctx = g_option_context_new ("COMMAND — init | user add|unlock|deactivate | serve");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_strict_posix (ctx, TRUE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail_error (error);
  if (data_dir == NULL)
    return fail ("--data-dir DIR is required");
  if (argc < 2)
    return fail ("a command is required: init, user or serve");

  if (strcmp (argv[1], "init") == 0)
    rc = cmd_init (argc - 1, argv + 1);
  else if (strcmp (argv[1], "user") == 0)
    rc = cmd_user (argc - 1, argv + 1);
  else if (strcmp (argv[1], "serve") == 0)
    rc = cmd_serve (argc - 1, argv + 1);
  else if (strcmp (argv[1], "demo-data") == 0)
    rc = cmd_demo_data (argc - 1, argv + 1);
  else
    rc = fail ("unknown command (init, user, serve)");
  g_free (data_dir);
  return rc;
}
