/*
 * bh_platform.h - the basic types WAMR app sources use (uint8 ... int32, bool, NULL)
 * and the byte-order helpers, so that those sources compile unchanged against this SDK.
 */
#ifndef WASMLET_BH_PLATFORM_H
#define WASMLET_BH_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned char uint8;
typedef char int8;
typedef unsigned short uint16;
typedef short int16;
typedef unsigned int uint32;
typedef int int32;

/* WAMR's shared sources allocate through these; apps get the runtime's heap. */
#ifndef WA_MALLOC
#define WA_MALLOC malloc
#endif
#ifndef WA_FREE
#define WA_FREE free
#endif

#define bh_memcpy_s(dst, dst_len, src, src_len) memcpy(dst, src, src_len)
#define bh_assert(v) ((void)0)

#ifdef __cplusplus
extern "C" {
#endif

/* Host <-> network (big-endian) order. Wasm is little-endian, so these swap. */
uint32 htonl(uint32 value);
uint32 ntohl(uint32 value);
uint16 htons(uint16 value);
uint16 ntohs(uint16 value);

#ifdef __cplusplus
}
#endif

#endif
