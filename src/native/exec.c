// Replaces the calling Node process with a program, as a shell's `exec` does. `cred run` uses it
// (src/run/replace-process.ts) so that no cred process stays between the caller and the command:
// exit status, signals and job control are the command's own. Node 20 has no execve (22.15+ has an
// experimental one that prints a warning), hence this helper. Two functions:
//
// - `stdioFlags()`: the file status flags of descriptors 0, 1 and 2 (-1 for one that is not
//   open), taken before cred makes a Node stream over one, which makes it non-blocking; `exec`
//   gives them back, as Node does for them when it exits.
// - `exec(file, argv, envp, stdioFlags)`: the program gets what a child spawned by Node gets
//   (libuv's uv__process_child_init): standard input, output and error open and inherited, with
//   the flags they came with; cred's own descriptors are close-on-exec (libuv and Node open them
//   so, and Node marks the ones it inherited from 3 to about 16 so at start-up, which is why
//   those do not reach the command either: docs/shells-and-ci.md); signal dispositions at their
//   defaults (Node ignores SIGPIPE and SIGXFSZ, and a command must not inherit that) and no signal
//   blocked. The PATH search is that of the new environment (cred passes its own PATH on).
//   Returns only when the program could not be run: the errno (ENOENT, EACCES, …), with the
//   process as it was, so the caller can report it (and Node keeps ignoring SIGPIPE).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __APPLE__
// A dynamically loaded library cannot take `environ` directly on macOS.
#include <crt_externs.h>
#define environ (*_NSGetEnviron())
#else
extern char **environ;
#endif

// The signals a process can change (1..31, as libuv resets for a child; SIGKILL and SIGSTOP
// cannot be caught or ignored).
#define LAST_SIGNAL 31

static void free_list(char **list) {
  if (list == NULL) return;
  for (char **p = list; *p != NULL; p++) free(*p);
  free(list);
}

// A copy of a JS string, or NULL if it is not a string or holds a NUL (which would cut it short).
static char *copy_string(napi_env env, napi_value value) {
  size_t length;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *s = malloc(length + 1);
  if (s == NULL) return NULL;
  if (napi_get_value_string_utf8(env, value, s, length + 1, &length) != napi_ok || strlen(s) != length) {
    free(s);
    return NULL;
  }
  return s;
}

// A NULL-terminated copy of a JS array of strings, or NULL.
static char **copy_list(napi_env env, napi_value array) {
  uint32_t n;
  if (napi_get_array_length(env, array, &n) != napi_ok) return NULL;
  char **list = calloc((size_t)n + 1, sizeof(char *));
  if (list == NULL) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    if (napi_get_element(env, array, i, &item) != napi_ok || (list[i] = copy_string(env, item)) == NULL) {
      free_list(list);
      return NULL;
    }
  }
  return list;
}

static napi_value stdio_flags(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_array_with_length(env, 3, &result);
  for (int fd = 0; fd <= 2; fd++) {
    napi_value flags;
    napi_create_int32(env, fcntl(fd, F_GETFL), &flags);
    napi_set_element(env, result, (uint32_t)fd, flags);
  }
  return result;
}

static napi_value exec_program(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  int wanted_fl_flags[3];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc != 4) {
    napi_throw_type_error(env, NULL, "exec(file, argv, envp, stdioFlags) takes four arguments");
    return NULL;
  }
  for (uint32_t fd = 0; fd <= 2; fd++) {
    napi_value item;
    if (napi_get_element(env, args[3], fd, &item) != napi_ok ||
        napi_get_value_int32(env, item, &wanted_fl_flags[fd]) != napi_ok) {
      napi_throw_type_error(env, NULL, "exec: stdioFlags must be what stdioFlags() returned");
      return NULL;
    }
  }
  char *file = copy_string(env, args[0]);
  char **argv = copy_list(env, args[1]);
  char **envp = copy_list(env, args[2]);
  if (file == NULL || argv == NULL || envp == NULL || argv[0] == NULL) {
    free(file);
    free_list(argv);
    free_list(envp);
    napi_throw_type_error(env, NULL, "exec(file, argv, envp, stdioFlags): strings without NUL, argv not empty");
    return NULL;
  }

  // Block every signal on this thread while dispositions change. (Node's other threads block only
  // SIGUSR1, so a signal may still reach one of them meanwhile; the window is microseconds, and
  // `run` has no handler of its own by then.)
  sigset_t all, saved_mask;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved_mask);

  int saved_fd_flags[3], saved_fl_flags[3];
  for (int fd = 0; fd <= 2; fd++) {
    saved_fd_flags[fd] = fcntl(fd, F_GETFD);
    if (saved_fd_flags[fd] >= 0) fcntl(fd, F_SETFD, saved_fd_flags[fd] & ~FD_CLOEXEC);
    // Blocking or not as it was given to cred: the descriptor's open file may be shared with
    // the caller, who must find it as it left it.
    saved_fl_flags[fd] = fcntl(fd, F_GETFL);
    if (saved_fl_flags[fd] >= 0 && wanted_fl_flags[fd] >= 0) {
      fcntl(fd, F_SETFL, (saved_fl_flags[fd] & ~O_NONBLOCK) | (wanted_fl_flags[fd] & O_NONBLOCK));
    }
  }

  struct sigaction defaults, saved_actions[LAST_SIGNAL + 1];
  int changed[LAST_SIGNAL + 1] = {0};
  memset(&defaults, 0, sizeof defaults);
  defaults.sa_handler = SIG_DFL;
  sigemptyset(&defaults.sa_mask);
  for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    changed[sig] = sigaction(sig, &defaults, &saved_actions[sig]) == 0;
  }

  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
#ifdef __GLIBC__
  // PATH from this process's environment, which is the new one's: cred hands its PATH on.
  execvpe(file, argv, envp);
#else
  // No execvpe: execvp searches PATH in `environ`, swapped for the call.
  char **saved_environ = environ;
  environ = envp;
  execvp(file, argv);
  environ = saved_environ;
#endif

  // Still here: nothing was run. Put everything back as Node had it.
  int error = errno;
  pthread_sigmask(SIG_SETMASK, &all, NULL);
  for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
    if (changed[sig]) sigaction(sig, &saved_actions[sig], NULL);
  }
  for (int fd = 0; fd <= 2; fd++) {
    if (saved_fl_flags[fd] >= 0) fcntl(fd, F_SETFL, saved_fl_flags[fd]);
    if (saved_fd_flags[fd] >= 0) fcntl(fd, F_SETFD, saved_fd_flags[fd]);
  }
  pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
  free(file);
  free_list(argv);
  free_list(envp);

  napi_value result;
  napi_create_int32(env, error, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "exec", NAPI_AUTO_LENGTH, exec_program, NULL, &fn);
  napi_set_named_property(env, exports, "exec", fn);
  napi_create_function(env, "stdioFlags", NAPI_AUTO_LENGTH, stdio_flags, NULL, &fn);
  napi_set_named_property(env, exports, "stdioFlags", fn);
  return exports;
}
