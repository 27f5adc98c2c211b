/* What bench/memory_throughput.c and bench/slow_lookups.c both measure of
 * their own process: a monotonic clock in seconds, and a VmRSS/VmHWM-style
 * field of /proc/self/status in KiB (-1 if absent). */
#ifndef XMPPDNA_BENCH_PROCESS_CLOCK_H
#define XMPPDNA_BENCH_PROCESS_CLOCK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static long status_kib(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long value = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0) value = atol(line + strlen(field) + 1);
    if (f) fclose(f);
    return value;
}

#endif
