// The Linux calls the store, the deliverer and the command line make that Glibc's module map leaves out, declared as glibc's
// headers declare them. They sit behind _GNU_SOURCE (syncfs, statx) or in headers the module
// map does not cover (<sys/vfs.h>, <sys/auxv.h>), and SwiftPM gives a library target no way to define
// _GNU_SOURCE for Glibc's module without unsafe flags.
#ifndef FRONTDESK_SYSTEM_CALLS_H
#define FRONTDESK_SYSTEM_CALLS_H

#include <sys/vfs.h>     // struct statfs, statfs(), fstatfs()
#include <linux/stat.h>  // struct statx, STATX_* masks
// getauxval() and AT_SECURE: the kernel's word that this program was started with privileges
// its user lacks (setgid `frontdesk`), the same test the dynamic loader and secure_getenv()
// make. Glibc's module map leaves <sys/auxv.h> out.
#include <sys/auxv.h>

// <unistd.h> with _GNU_SOURCE: flushes the file system holding `fd`.
int syncfs(int fd);

// <sys/stat.h> with _GNU_SOURCE (glibc 2.28+).
int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf);

// <unistd.h> with _GNU_SOURCE: a pipe whose ends are close-on-exec from the start, so a fork in
// another thread cannot inherit an end (the deliverer's hook runner).
int pipe2(int pipefd[2], int flags);

// <fcntl.h> with _GNU_SOURCE (Linux 3.15+): open-file-description record locks. They belong to
// the open file rather than the process, so the kernel drops them with the process's last
// descriptor of it, and two threads' locks through one descriptor do not fight (the server's
// in-flight idempotency keys, one byte each of one file).
static const int frontdesk_F_OFD_SETLK = 37;

#endif
