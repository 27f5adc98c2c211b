/* epoll and eventfd, which Swift's Glibc module does not carry, for the
 * event loop of XMPPDNAIO. */
#ifndef CXMPPDNA_IO_H
#define CXMPPDNA_IO_H
#include <stdint.h>

enum {
    XDNA_IO_READABLE = 1,
    XDNA_IO_WRITABLE = 2,
};

/* An epoll set with CLOEXEC, or -1. */
int xdna_io_epoll_new(void);
/* Watches fd once (oneshot) for `what`, reporting `token`; 0 or -1. */
int xdna_io_epoll_add(int epoll, int fd, int what, uint64_t token);
/* Stops watching fd; 0 or -1. */
int xdna_io_epoll_remove(int epoll, int fd);
/* Waits up to timeout_ms (-1: forever) and fills tokens; the count, or -1. */
int xdna_io_epoll_wait(int epoll, uint64_t *tokens, int capacity, int timeout_ms);
/* A non-blocking CLOEXEC eventfd, or -1. */
int xdna_io_eventfd(void);

#endif
