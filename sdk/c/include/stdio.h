/*
 * stdio.h - the output functions of the runtime's libc (WAMR's libc-builtin set, imported
 * from module "env"). Variadic calls pass clang's wasm32 argument block as the last argument.
 */
#ifndef WASMLET_STDIO_H
#define WASMLET_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int printf(const char *format, ...);
int sprintf(char *str, const char *format, ...);
int snprintf(char *str, size_t size, const char *format, ...);
int vprintf(const char *format, va_list ap);
int vsprintf(char *str, const char *format, va_list ap);
int vsnprintf(char *str, size_t size, const char *format, va_list ap);
int puts(const char *s);
int putchar(int c);

#ifdef __cplusplus
}
#endif

#endif
