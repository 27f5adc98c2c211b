extension StringProtocol {
    /// Without leading and trailing spaces and tabs (the only blanks in
    /// record text and HTTP header values).
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
