import CXMPPDNA
import Foundation
import Testing
@testable import XMPPDNACABI

/// Issue 17: misuse of the C ABI is refused, and memory running out is a
/// result code, never a trap.
struct ABIMisuseTests {
    private func pkiVerdict() -> CVerdict {
        CVerdict.pki(CContext(), CChain(pem: TestPKI.shared.bytes("full-chain.pem")), CRefs(domain: "example.com"))
    }

    /// How many references the handle behind pointer loses to free(pointer);
    /// the test holds one itself, so a wrong release is reported, not a crash.
    private func referencesReleased(_ pointer: OpaquePointer?, by free: (OpaquePointer?) -> Void) -> UInt {
        let object = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer!)).takeUnretainedValue()
        return withExtendedLifetime(object) {
            let before = _getRetainCount(object)
            free(pointer)
            let after = _getRetainCount(object)
            for _ in after..<max(after, before) { _ = Unmanaged.passUnretained(object).retain() }
            return before - after
        }
    }

    @Test func freeingTheBorrowedPresentedSetReleasesNothing() {
        let verdict = pkiVerdict()
        let presented = xmppdna_verdict_presented(verdict.pointer)
        #expect(referencesReleased(presented, by: xmppdna_idset_free) == 0)
        #expect(xmppdna_idset_count(presented) >= 6)
    }

    @Test func freeingTheBorrowedPKIVerdictReleasesNothing() throws {
        let ctx = CContext()
        let chain = CChain(pem: TestPKI.shared.bytes("full-chain.pem"))
        var request: OpaquePointer?, dna: OpaquePointer?
        #expect(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &request) == XMPPDNA_OK)
        defer { xmppdna_dna_request_free(request) }
        #expect(xmppdna_verify_dna(ctx.pointer, chain.pointer, request, &dna) == XMPPDNA_OK)
        defer { xmppdna_dna_free(dna) }
        let pki = xmppdna_dna_pki(dna)
        #expect(referencesReleased(pki, by: xmppdna_verdict_free) == 0)
        #expect(xmppdna_verdict_accepted(pki) == 1)
    }

    @Test func lentStringsThatCannotBeMadeGiveENOMEMAndWorkLater() {
        let verdict = pkiVerdict()
        var value: UnsafePointer<CChar>?
        AllocationFaults.failing {
            #expect(xmppdna_verdict_match(verdict.pointer, 0, nil, &value, nil, nil) == XMPPDNA_ENOMEM)
            #expect(xmppdna_verdict_reason(verdict.pointer, 0) == nil)
            var json: UnsafeMutablePointer<CChar>?
            #expect(xmppdna_verdict_json(verdict.pointer, &json) == XMPPDNA_ENOMEM && json == nil)
        }
        #expect(xmppdna_verdict_match(verdict.pointer, 0, nil, &value, nil, nil) == XMPPDNA_OK && value != nil)
        #expect(verdict.presented.count >= 6)
    }

    @Test func handlesThatCannotLendTheirStringsAreNotMade() {
        var refs: OpaquePointer?, ids: OpaquePointer?, dna: OpaquePointer?, request: OpaquePointer?
        AllocationFaults.failing {
            #expect(xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_ENOMEM && refs == nil)
        }
        // Out of memory halfway: what was made is freed (ASan checks), nothing half-made is returned.
        AllocationFaults.failing(after: 1) {
            #expect(xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_ENOMEM && refs == nil)
        }
        #expect(xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_OK)
        defer { xmppdna_refs_free(refs) }
        let count = xmppdna_refs_count(refs)
        AllocationFaults.failing {
            #expect(xmppdna_refs_add_name(refs, "host1.example.net") == XMPPDNA_ENOMEM)
        }
        #expect(xmppdna_refs_count(refs) == count)

        let chain = CChain(pem: TestPKI.shared.bytes("full-chain.pem"))
        AllocationFaults.failing(after: 2) {
            #expect(xmppdna_chain_idset(chain.pointer, &ids) == XMPPDNA_ENOMEM && ids == nil)
        }
        #expect(xmppdna_idset_new(&ids) == XMPPDNA_OK)
        defer { xmppdna_idset_free(ids) }
        AllocationFaults.failing {
            #expect(xmppdna_idset_add(ids, XMPPDNA_ID_DNS, "example.com", 11) == XMPPDNA_ENOMEM)
        }
        #expect(xmppdna_idset_count(ids) == 0)

        let ctx = CContext()
        #expect(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &request) == XMPPDNA_OK)
        defer { xmppdna_dna_request_free(request) }
        AllocationFaults.failing(after: 1) {
            #expect(xmppdna_verify_dna(ctx.pointer, chain.pointer, request, &dna) == XMPPDNA_ENOMEM && dna == nil)
        }
    }

    @Test func nameListsThatCannotLendTheirStringsSaySo() {
        var names: OpaquePointer?, refs: OpaquePointer?
        let owner = strdup("_xmpp-server._tcp.example.com"), data = strdup("5 0 5269 host1.example.net.")
        defer { free(owner); free(data) }
        var record = xmppdna_record(owner: owner, type: XMPPDNA_RR_SRV, status: XMPPDNA_DNSSEC_SECURE, data: data)
        #expect(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &record, 1, &names) == XMPPDNA_OK)
        defer { xmppdna_names_free(names) }
        var value: UnsafePointer<CChar>?, host: UnsafePointer<CChar>?
        AllocationFaults.failing {
            #expect(xmppdna_names_get(names, 1, nil, &value, nil, nil) == XMPPDNA_ENOMEM)
            #expect(xmppdna_names_candidate(names, 0, &host, nil, nil, nil) == XMPPDNA_ENOMEM)
            #expect(xmppdna_names_refs(names, &refs) == XMPPDNA_ENOMEM && refs == nil)
        }
        #expect(xmppdna_names_get(names, 1, nil, &value, nil, nil) == XMPPDNA_OK && String(cString: value!) == "host1.example.net")
    }

    @Test func versionAndErrorTextsNeedNoMemory() {
        AllocationFaults.failing {
            #expect(String(cString: xmppdna_version()) == XMPPDNA_VERSION)
            #expect(String(cString: xmppdna_strerror(XMPPDNA_ENOMEM)) == "out of memory")
            #expect(String(cString: xmppdna_strerror(12345)) == "unknown xmppdna result code")
        }
    }
}
