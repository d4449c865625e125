//! Lengths. Every stage measures in one unit, the PostScript point, so that a
//! number can never be mistaken for millimetres or font units.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// A length in PostScript points (1/72 inch).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Pt(pub f32);

const MM_PER_INCH: f32 = 25.4;
const PT_PER_INCH: f32 = 72.0;

impl Pt {
    /// No length at all.
    pub const ZERO: Pt = Pt(0.0);

    /// A length given in millimetres.
    pub fn mm(mm: f32) -> Pt {
        Pt(mm / MM_PER_INCH * PT_PER_INCH)
    }

    /// A length given in inches.
    pub fn inches(inches: f32) -> Pt {
        Pt(inches * PT_PER_INCH)
    }

    /// This length in millimetres, for messages and reports.
    pub fn to_mm(self) -> f32 {
        self.0 / PT_PER_INCH * MM_PER_INCH
    }

    /// The larger of two lengths.
    pub fn max(self, other: Pt) -> Pt {
        Pt(self.0.max(other.0))
    }

    /// The smaller of two lengths.
    pub fn min(self, other: Pt) -> Pt {
        Pt(self.0.min(other.0))
    }

    /// Parses `12pt`, `105mm`, `1.5cm` or `6in` (a bare number is points).
    pub fn parse(text: &str) -> Result<Pt, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let value: f32 = number
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a length (write e.g. 105mm, 6in or 12pt)"))?;
        if !value.is_finite() || value < 0.0 {
            return Err(format!("`{text}` is not a positive length"));
        }
        match unit.trim() {
            "" | "pt" => Ok(Pt(value)),
            "mm" => Ok(Pt::mm(value)),
            "cm" => Ok(Pt::mm(value * 10.0)),
            "in" => Ok(Pt::inches(value)),
            other => Err(format!(
                "unknown unit `{other}` in `{text}` (use mm, cm, in or pt)"
            )),
        }
    }
}

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}pt", self.0)
    }
}

impl Add for Pt {
    type Output = Pt;
    fn add(self, rhs: Pt) -> Pt {
        Pt(self.0 + rhs.0)
    }
}

impl Sub for Pt {
    type Output = Pt;
    fn sub(self, rhs: Pt) -> Pt {
        Pt(self.0 - rhs.0)
    }
}

impl AddAssign for Pt {
    fn add_assign(&mut self, rhs: Pt) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Pt {
    fn sub_assign(&mut self, rhs: Pt) {
        self.0 -= rhs.0;
    }
}

impl Mul<f32> for Pt {
    type Output = Pt;
    fn mul(self, rhs: f32) -> Pt {
        Pt(self.0 * rhs)
    }
}

impl Div<f32> for Pt {
    type Output = Pt;
    fn div(self, rhs: f32) -> Pt {
        Pt(self.0 / rhs)
    }
}

impl Div for Pt {
    type Output = f32;
    fn div(self, rhs: Pt) -> f32 {
        self.0 / rhs.0
    }
}

impl Neg for Pt {
    type Output = Pt;
    fn neg(self) -> Pt {
        Pt(-self.0)
    }
}

impl Sum for Pt {
    fn sum<I: Iterator<Item = Pt>>(iter: I) -> Pt {
        Pt(iter.map(|p| p.0).sum())
    }
}

/// A point on a page, in points from the top-left corner of the trim box,
/// y growing downwards (as krilla and most layout code expect).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Distance from the left edge.
    pub x: Pt,
    /// Distance from the top edge.
    pub y: Pt,
}

impl Point {
    /// A point from its two coordinates.
    pub fn new(x: Pt, y: Pt) -> Point {
        Point { x, y }
    }
}

/// A width and a height.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    /// Horizontal extent.
    pub width: Pt,
    /// Vertical extent.
    pub height: Pt,
}

impl Size {
    /// A size from its two extents.
    pub fn new(width: Pt, height: Pt) -> Size {
        Size { width, height }
    }
}

/// An axis-aligned rectangle: its top-left corner and its size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Top-left corner.
    pub origin: Point,
    /// Extent.
    pub size: Size,
}

impl Rect {
    /// A rectangle from its left, top, width and height.
    pub fn new(x: Pt, y: Pt, width: Pt, height: Pt) -> Rect {
        Rect {
            origin: Point::new(x, y),
            size: Size::new(width, height),
        }
    }

    /// The right edge.
    pub fn right(&self) -> Pt {
        self.origin.x + self.size.width
    }

    /// The bottom edge.
    pub fn bottom(&self) -> Pt {
        self.origin.y + self.size.height
    }

    /// The part this rectangle shares with `other`, if any.
    pub fn intersect(&self, other: Rect) -> Option<Rect> {
        let left = self.origin.x.max(other.origin.x);
        let top = self.origin.y.max(other.origin.y);
        let right = self.right().min(other.right());
        let bottom = self.bottom().min(other.bottom());
        (right > left && bottom > top).then(|| Rect::new(left, top, right - left, bottom - top))
    }

    /// Whether `point` lies inside or on the edge.
    pub fn contains(&self, point: Point) -> bool {
        (self.origin.x..=self.right()).contains(&point.x)
            && (self.origin.y..=self.bottom()).contains(&point.y)
    }

    /// This rectangle grown by `by` on every side.
    pub fn outset(&self, by: Pt) -> Rect {
        Rect::new(
            self.origin.x - by,
            self.origin.y - by,
            self.size.width + by * 2.0,
            self.size.height + by * 2.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersections() {
        let a = Rect::new(Pt(0.0), Pt(0.0), Pt(10.0), Pt(10.0));
        let b = Rect::new(Pt(5.0), Pt(-5.0), Pt(10.0), Pt(10.0));
        assert_eq!(
            a.intersect(b),
            Some(Rect::new(Pt(5.0), Pt(0.0), Pt(5.0), Pt(5.0)))
        );
        assert_eq!(
            a.intersect(Rect::new(Pt(10.0), Pt(0.0), Pt(3.0), Pt(3.0))),
            None,
            "touching is not overlapping"
        );
        assert!(a.contains(Point::new(Pt(10.0), Pt(0.0))));
        assert!(!a.contains(Point::new(Pt(10.5), Pt(0.0))));
    }

    #[test]
    fn parses_units() {
        assert_eq!(Pt::parse("12pt").unwrap(), Pt(12.0));
        assert_eq!(Pt::parse("12").unwrap(), Pt(12.0));
        assert!((Pt::parse("25.4mm").unwrap().0 - 72.0).abs() < 1e-4);
        assert!((Pt::parse("2.54cm").unwrap().0 - 72.0).abs() < 1e-4);
        assert_eq!(Pt::parse("1in").unwrap(), Pt(72.0));
        assert!(Pt::parse("12 furlongs").is_err());
        assert!(Pt::parse("-3mm").is_err());
        assert!(Pt::parse("mm").is_err());
    }

    #[test]
    fn a5_in_points() {
        assert!((Pt::mm(148.0).0 - 419.53).abs() < 0.01);
        assert!((Pt::mm(210.0).to_mm() - 210.0).abs() < 1e-3);
    }
}
