/*
 * url.c - URL matching: the prefix rule requests and events are routed by (ABI doc section 7)
 * and WAMR's pattern and key=value helpers.
 */
#include "natives.h"

int check_url_start(const char *url, int url_len, const char *leading_str)
{
    int skipped = 0, len;

    if (*leading_str == '/')
        leading_str++;
    if (url_len > 0 && *url == '/') {
        url++;
        url_len--;
        skipped = 1;
    }
    len = (int)strlen(leading_str);
    if (len > 0 && leading_str[len - 1] == '/')
        len--;
    if (len == 0 || url_len < len || memcmp(url, leading_str, (size_t)len) != 0)
        return 0;
    if (url_len == len)
        return skipped + len;
    if (url[len] != '/' && url[len] != '?')
        return 0;
    return skipped + len + 1;
}

bool match_url(char *pattern, char *matched)
{
    int plen, mlen;

    if (*pattern == '/')
        pattern++;
    if (*matched == '/')
        matched++;
    mlen = (int)strlen(matched);
    if (mlen > 0 && matched[mlen - 1] == '/')
        mlen--;
    plen = (int)strlen(pattern);
    if (mlen == 0 || plen == 0)
        return false;

    if (pattern[plen - 1] == '/') {
        /* "a/": "a" itself or anything below it */
        plen--;
        if (mlen < plen || strncmp(pattern, matched, (size_t)plen) != 0)
            return false;
        return mlen == plen || matched[plen] == '/';
    }
    if (pattern[plen - 1] == '*')
        /* "a" or "a/" followed by '*': a plain prefix (a '/' before the '*' is part of it) */
        return strncmp(pattern, matched, (size_t)(plen - 1)) == 0;
    return strcmp(pattern, matched) == 0;
}

char *find_key_value(char *buffer, int buffer_len, char *key, char *value, int value_len,
                     char delimiter)
{
    int key_len = (int)strlen(key), i = 0;

    if (value_len <= 0)
        return NULL;
    while (i < buffer_len && buffer[i] != 0) {
        int end;

        while (i < buffer_len && (buffer[i] == ' ' || buffer[i] == delimiter))
            i++;
        for (end = i; end < buffer_len && buffer[end] != delimiter && buffer[end] != 0; end++)
            ;
        /* entry [i, end): "key=value" */
        if (end - i > key_len && buffer[i + key_len] == '='
            && strncmp(buffer + i, key, (size_t)key_len) == 0) {
            int n = end - (i + key_len + 1);

            if (n > value_len - 1)
                n = value_len - 1;
            memcpy(value, buffer + i + key_len + 1, (size_t)n);
            value[n] = 0;
            return value;
        }
        i = end;
    }
    return NULL;
}
