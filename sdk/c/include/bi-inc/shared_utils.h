/* bi-inc/shared_utils.h - WAMR's home of request_t and the packing helpers: ../request.h. */
#include "../request.h"
