/// Byte comparison whose time does not depend on where the bytes differ.
/// The core links no OpenSSL, so CRYPTO_memcmp is not at hand here.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
