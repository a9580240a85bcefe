/* wa-inc/request.h - WAMR's include path for ../request.h. */
#include "../request.h"
