/*
 * byte_order.c - htonl/ntohl/htons/ntohs for apps (declared in bh_platform.h). Wasm is
 * little-endian, network order is big-endian: every call swaps.
 */
#include "bh_platform.h"

uint32 htonl(uint32 value)
{
    return value >> 24 | (value >> 8 & 0xFF00u) | (value << 8 & 0xFF0000u) | value << 24;
}

uint32 ntohl(uint32 value)
{
    return htonl(value);
}

uint16 htons(uint16 value)
{
    return (uint16)(value >> 8 | value << 8);
}

uint16 ntohs(uint16 value)
{
    return htons(value);
}
