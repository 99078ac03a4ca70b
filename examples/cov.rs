fn main() {
    for a in std::env::args().skip(1) {
        let t = std::fs::read_to_string(&a).unwrap();
        let (f, n) = deploylint::parse::yaml::fast_path_coverage(&t);
        if f < n {
            println!("{a} {f}/{n}");
        }
    }
}
