//! Named assets a scenario may refer to. Portraits are drawn from parameters, so a portrait
//! asset is a small RON file, `assets/portraits/<name>.portrait.ron`.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The asset names that exist, for the `unknown-asset` check.
#[derive(Debug, Clone, Default)]
pub struct AssetCatalog {
    pub portraits: BTreeSet<String>,
}

pub const PORTRAIT_EXTENSION: &str = ".portrait.ron";

impl AssetCatalog {
    /// Lists the portraits under `assets_dir/portraits`.
    pub fn from_dir(assets_dir: &Path) -> std::io::Result<Self> {
        let mut portraits = BTreeSet::new();
        for entry in std::fs::read_dir(assets_dir.join("portraits"))? {
            let name = entry?.file_name();
            if let Some(stem) = name
                .to_str()
                .and_then(|n| n.strip_suffix(PORTRAIT_EXTENSION))
            {
                portraits.insert(stem.to_owned());
            }
        }
        Ok(AssetCatalog { portraits })
    }
}

/// Parameters of a drawn portrait. Colours are `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Portrait {
    pub skin: String,
    pub hair: String,
    pub hair_style: HairStyle,
    #[serde(default)]
    pub glasses: bool,
    #[serde(default)]
    pub beard: bool,
    /// Background colour behind the head.
    pub backdrop: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum HairStyle {
    Short,
    Long,
    Bun,
    Curly,
    Cropped,
    Bald,
}

impl Portrait {
    pub fn parse(text: &str) -> Result<Portrait, ron::error::SpannedError> {
        crate::model::ron_options().from_str(text)
    }
}
