/* strings.h - POSIX home of strncasecmp; the runtime's libc provides it (see string.h). */
#ifndef WASMLET_STRINGS_H
#define WASMLET_STRINGS_H
#include <string.h>
#endif
