#include "cxmppdna_io.h"

#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

int xdna_io_epoll_new(void) { return epoll_create1(EPOLL_CLOEXEC); }

int xdna_io_epoll_add(int epoll, int fd, int what, uint64_t token) {
    struct epoll_event event = { 0 };
    event.events = EPOLLONESHOT | EPOLLERR | EPOLLHUP
                 | ((what & XDNA_IO_READABLE) ? EPOLLIN : 0) | ((what & XDNA_IO_WRITABLE) ? EPOLLOUT : 0);
    event.data.u64 = token;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

int xdna_io_epoll_remove(int epoll, int fd) { return epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL); }

int xdna_io_epoll_wait(int epoll, uint64_t *tokens, int capacity, int timeout_ms) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll, events, capacity, timeout_ms);
    for (int i = 0; i < count; i++) tokens[i] = events[i].data.u64;
    return count;
}

int xdna_io_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
