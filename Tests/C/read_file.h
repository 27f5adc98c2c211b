/* The C test programs' file reader. (example.c keeps its own: it is the
 * README's example and builds alone.) */
#ifndef XMPPDNA_TEST_READ_FILE_H
#define XMPPDNA_TEST_READ_FILE_H
#include <stdio.h>
#include <stdlib.h>

/* A whole file, NUL-terminated (the NUL not counted in *len); NULL if it
 * cannot be opened or read in full. Free with free(). */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)size + 1)) != NULL) {
        if (fread(data, 1, (size_t)size, f) == (size_t)size) {
            data[size] = 0;
            *len = (size_t)size;
        } else {
            free(data);
            data = NULL;
        }
    }
    fclose(f);
    return data;
}

#endif
