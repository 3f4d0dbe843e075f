/* SPDX-License-Identifier: Apache-2.0 */
/* cx: the OPRF of blind lost/stolen checks, RFC 9497 OPRF(ristretto255,
 * SHA-512), in its modes 0x00 and 0x01 (VOPRF). Included by cx.h. */
#ifndef TN_CX_OPRF_H
#define TN_CX_OPRF_H

#define CX_OPRF_ELEM 32      /* a serialized ristretto255 element */
#define CX_OPRF_SCALAR 32    /* a serialized scalar */
#define CX_OPRF_OUT 64       /* Finalize's output (SHA-512) */
#define CX_OPRF_PROOF 64     /* VOPRF's DLEQ proof: c || s */

enum cx_oprf_mode { CX_OPRF = 0x00, CX_VOPRF = 0x01 };

/* DeriveKeyPair(seed, info) of the mode (RFC 9497 3.2.1): sk, and pk =
 * sk * G. TN_ERR_CRYPTO if no key comes of it (the RFC's DeriveKeyPairError). */
int cx_oprf_derive_key(enum cx_oprf_mode mode, const uint8_t seed[static 32],
		       const uint8_t *info, size_t info_len, uint8_t sk[static CX_OPRF_SCALAR],
		       uint8_t pk[static CX_OPRF_ELEM]) TN_WUR;
/* A random key pair (sk kept in memory the caller wipes). */
void cx_oprf_keygen(uint8_t sk[static CX_OPRF_SCALAR], uint8_t pk[static CX_OPRF_ELEM]);
/* Blind(input): a random blind, or the given one (test vectors), and the
 * blinded element. TN_ERR_INVALID when the input maps to the identity. */
int cx_oprf_blind(enum cx_oprf_mode mode, const void *in, size_t n,
		  const uint8_t *blind_or_null, uint8_t blind[static CX_OPRF_SCALAR],
		  uint8_t blinded[static CX_OPRF_ELEM]) TN_WUR;
/* BlindEvaluate: sk * blinded. TN_ERR_INVALID for a blinded element that
 * does not decode, or is the identity (a peer's bytes: never trusted). */
int cx_oprf_evaluate(const uint8_t sk[static CX_OPRF_SCALAR],
		     const uint8_t blinded[static CX_OPRF_ELEM],
		     uint8_t evaluated[static CX_OPRF_ELEM]) TN_WUR;
/* Finalize(input, blind, evaluated): the 64-byte output. */
int cx_oprf_finalize(enum cx_oprf_mode mode, const void *in, size_t n,
		     const uint8_t blind[static CX_OPRF_SCALAR],
		     const uint8_t evaluated[static CX_OPRF_ELEM],
		     uint8_t out[static CX_OPRF_OUT]) TN_WUR;
/* The server's own evaluation of an input it knows (Evaluate, 3.3.1): the
 * output Finalize gives the client for it. */
int cx_oprf_output(enum cx_oprf_mode mode, const uint8_t sk[static CX_OPRF_SCALAR],
		   const void *in, size_t n, uint8_t out[static CX_OPRF_OUT]) TN_WUR;
/* VOPRF: the batched DLEQ proof (GenerateProof, 2.2.1) that the n
 * evaluated elements are sk times the blinded ones, with the random
 * scalar r, or the given one (test vectors). */
int cx_voprf_prove(const uint8_t sk[static CX_OPRF_SCALAR], const uint8_t pk[static CX_OPRF_ELEM],
		   const uint8_t (*blinded)[CX_OPRF_ELEM], const uint8_t (*evaluated)[CX_OPRF_ELEM],
		   size_t n, const uint8_t *r_or_null, uint8_t proof[static CX_OPRF_PROOF]) TN_WUR;
/* VerifyProof (2.2.2): 0, or TN_ERR_BAD_SIG. */
int cx_voprf_verify(const uint8_t pk[static CX_OPRF_ELEM], const uint8_t (*blinded)[CX_OPRF_ELEM],
		    const uint8_t (*evaluated)[CX_OPRF_ELEM], size_t n,
		    const uint8_t proof[static CX_OPRF_PROOF]) TN_WUR;

#endif
