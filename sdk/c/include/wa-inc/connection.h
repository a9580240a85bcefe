/* wa-inc/connection.h - WAMR's include path for ../connection.h. */
#include "../connection.h"
