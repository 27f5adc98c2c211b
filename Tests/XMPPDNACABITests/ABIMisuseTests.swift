import CXMPPDNA
import Foundation
import Testing
@testable import XMPPDNACABI

/// Issue 17: misuse of the C ABI is refused, and memory running out is a
/// result code, never a trap.
struct ABIMisuseTests {
    private func pkiVerdict() -> CVerdict {
        CVerdict.of(CContext(), CChain(pem: TestPKI.shared.bytes("full-chain.pem")), CRequest(domain: "example.com"))
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

    @Test func freeingAHandleWithAnotherKindsFreeReleasesNothing() {
        let verdict = pkiVerdict()
        #expect(referencesReleased(verdict.pointer, by: xmppdna_request_free) == 0)
        #expect(referencesReleased(verdict.pointer, by: xmppdna_chain_free) == 0)
        #expect(referencesReleased(verdict.pointer, by: xmppdna_names_free) == 0)
        #expect(xmppdna_verdict_accepted(verdict.pointer) == 1)
        let request = CRequest(domain: "example.com")
        #expect(referencesReleased(request.pointer, by: xmppdna_verdict_free) == 0)
        #expect(xmppdna_verdict_accepted(request.pointer) == XMPPDNA_EMISUSE)
    }

    @Test func lentStringsThatCannotBeMadeGiveENOMEMAndWorkLater() {
        let verdict = pkiVerdict()
        var value: UnsafePointer<CChar>?, reason: UnsafePointer<CChar>?, text: UnsafePointer<CChar>?
        var finding = xmppdna_finding()
        var status: Int32 = -1
        AllocationFaults.failing {
            #expect(xmppdna_verdict_match_get(verdict.pointer, 0, nil, &value, nil, nil) == XMPPDNA_ENOMEM)
            #expect(xmppdna_verdict_summary(verdict.pointer) == nil)
            #expect(xmppdna_verdict_attempt_get(verdict.pointer, 0, nil, nil, &reason) == XMPPDNA_ENOMEM)
            #expect(xmppdna_verdict_finding_get(verdict.pointer, 0, &finding) == XMPPDNA_ENOMEM)
            #expect(xmppdna_verdict_chain(verdict.pointer, &status, nil, nil, &text) == XMPPDNA_ENOMEM)
            var json: UnsafeMutablePointer<CChar>?
            #expect(xmppdna_verdict_json(verdict.pointer, &json) == XMPPDNA_ENOMEM && json == nil)
            // What needs no string still answers.
            #expect(xmppdna_verdict_accepted(verdict.pointer) == 1)
            #expect(xmppdna_verdict_chain(verdict.pointer, &status, nil, nil, nil) == XMPPDNA_OK && status == XMPPDNA_CHAIN_VALID)
        }
        #expect(xmppdna_verdict_match_get(verdict.pointer, 0, nil, &value, nil, nil) == XMPPDNA_OK && value != nil)
        #expect(xmppdna_verdict_finding_get(verdict.pointer, 0, &finding) == XMPPDNA_OK && finding.code == XMPPDNA_FINDING_PKI_NAME_MATCHED)
        #expect(verdict.presented.count >= 6)
    }

    @Test func aVerdictIsMadeWithoutStringsAndLendsThemLater() {
        let ctx = CContext()
        let chain = CChain(pem: TestPKI.shared.bytes("full-chain.pem"))
        let request = CRequest(domain: "example.com", prooftypes: [XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI])
        var verdict: OpaquePointer?
        AllocationFaults.failing {
            #expect(xmppdna_verify(ctx.pointer, chain.pointer, request.pointer, &verdict) == XMPPDNA_OK)
        }
        defer { xmppdna_verdict_free(verdict) }
        #expect(xmppdna_verdict_summary(verdict).map { String(cString: $0) }?.hasPrefix("accepted by pki") == true)
    }

    @Test func nameListsThatCannotLendTheirStringsSaySo() {
        var names: OpaquePointer?
        let owner = strdup("_xmpp-server._tcp.example.com"), data = strdup("5 0 5269 host1.example.net.")
        defer { free(owner); free(data) }
        var record = xmppdna_record(owner: owner, type: XMPPDNA_RR_SRV, status: XMPPDNA_DNSSEC_SECURE, data: data)
        #expect(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &record, 1, &names) == XMPPDNA_OK)
        defer { xmppdna_names_free(names) }
        var value: UnsafePointer<CChar>?, host: UnsafePointer<CChar>?, reason: UnsafePointer<CChar>?
        var status: Int32 = -1
        AllocationFaults.failing {
            #expect(xmppdna_names_get(names, 1, nil, &value, nil, nil) == XMPPDNA_ENOMEM)
            #expect(xmppdna_names_candidate_get(names, 0, &host, nil, nil, nil) == XMPPDNA_ENOMEM)
            #expect(xmppdna_names_status(names, &status, nil, nil, nil, &reason) == XMPPDNA_ENOMEM)
            #expect(xmppdna_names_status(names, &status, nil, nil, nil, nil) == XMPPDNA_OK)
        }
        #expect(xmppdna_names_get(names, 1, nil, &value, &status, nil) == XMPPDNA_OK && String(cString: value!) == "host1.example.net")
        #expect(status == XMPPDNA_DNSSEC_SECURE)
        #expect(xmppdna_names_get(names, 0, nil, nil, &status, nil) == XMPPDNA_OK && status == XMPPDNA_DNSSEC_NONE)
        var trustMode: Int32 = -1
        #expect(xmppdna_names_status(names, nil, nil, &trustMode, nil, nil) == XMPPDNA_OK && trustMode == XMPPDNA_TRUST_CALLER)
    }

    @Test func versionAndErrorTextsNeedNoMemory() {
        AllocationFaults.failing {
            #expect(String(cString: xmppdna_version()) == XMPPDNA_VERSION)
            #expect(String(cString: xmppdna_strerror(XMPPDNA_ENOMEM)) == "out of memory")
            #expect(String(cString: xmppdna_strerror(12345)) == "unknown xmppdna result code")
        }
    }
}
