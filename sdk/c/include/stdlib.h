/*
 * stdlib.h - allocation over the app heap and number parsing, from the runtime's libc
 * (imported from module "env"). exit() ends the current callback with "env.exit(code)".
 */
#ifndef WASMLET_STDLIB_H
#define WASMLET_STDLIB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
int atoi(const char *s);
long strtol(const char *s, char **endptr, int base);
unsigned long strtoul(const char *s, char **endptr, int base);
void exit(int status);

#ifdef __cplusplus
}
#endif

#endif
