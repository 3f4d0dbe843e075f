/* SPDX-License-Identifier: Apache-2.0 */
/* The release both programs print with --version (and status reports). */
#ifndef TN_VERSION_H
#define TN_VERSION_H

#define TN_VERSION "0.1.0"

#endif
