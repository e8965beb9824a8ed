// The Linux calls the store makes that Glibc's module map leaves out, declared as glibc's
// headers declare them. They sit behind _GNU_SOURCE (syncfs, statx) or in headers the module
// map does not cover (<sys/vfs.h>), and SwiftPM gives a library target no way to define
// _GNU_SOURCE for Glibc's module without unsafe flags.
#ifndef FRONTDESK_SYSTEM_CALLS_H
#define FRONTDESK_SYSTEM_CALLS_H

#include <sys/vfs.h>     // struct statfs, statfs(), fstatfs()
#include <linux/stat.h>  // struct statx, STATX_* masks

// <unistd.h> with _GNU_SOURCE: flushes the file system holding `fd`.
int syncfs(int fd);

// <sys/stat.h> with _GNU_SOURCE (glibc 2.28+).
int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf);

// <unistd.h> with _GNU_SOURCE: a pipe whose ends get `flags` (O_CLOEXEC) atomically.
int pipe2(int pipefd[2], int flags);

#endif
