/* Per-call cost of a trivial libxmppdna call from C beside a trivial libc
 * call (getpagesize) through the same kind of call, the baseline the
 * bindings are compared with (bench/run-call-overhead.sh). Monotonic
 * clock, median and p90 of repeated rounds.   Usage: call_overhead ROUNDS CALLS */
#define _DEFAULT_SOURCE /* getpagesize, clock_gettime under -std=c11 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <xmppdna.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void measure(int rounds, long calls, int (*volatile call)(void), double *out) {
    volatile int sink = 0;
    for (int r = 0; r < rounds; r++) {
        double start = now();
        for (long i = 0; i < calls; i++) sink += call();
        out[r] = (now() - start) / calls;
    }
    (void)sink;
    qsort(out, rounds, sizeof out[0], compare);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 9;
    long calls = argc > 2 ? atol(argv[2]) : 10000000;
    double ours[64], peer[64];
    if (rounds > 64) rounds = 64;
    /* Through a volatile pointer, so neither call is inlined away. */
    measure(rounds, calls, xmppdna_version_number, ours);
    measure(rounds, calls, getpagesize, peer);
    printf("| C, direct | %.1f | %.1f | %.1f | %.1f |\n", ours[rounds / 2], ours[rounds * 9 / 10], peer[rounds / 2],
           peer[rounds * 9 / 10]);
    return 0;
}
