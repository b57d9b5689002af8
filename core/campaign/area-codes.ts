/**
 * North American area code -> IANA time zone(s). libphonenumber-js ships no time zones, so this is
 * our own compact table. An area code that straddles zones lists every zone it touches; quiet hours
 * then require the hour to be allowed in all of them. Codes absent here (toll-free 8XX, new
 * overlays not yet listed) have no zone, and their messages are held rather than sent blind.
 */
const ZONE_AREA_CODES: Record<string, string> = {
  "America/New_York":
    "202 203 207 212 215 216 220 223 227 229 231 234 239 240 248 252 260 267 272 276 283 301 302 304 305 " +
    "313 315 317 321 324 326 330 332 336 339 347 351 352 363 380 386 401 404 407 410 412 413 419 423 434 " +
    "436 440 443 445 448 463 470 472 475 478 484 502 508 513 516 517 518 540 551 561 567 570 571 574 582 " +
    "585 586 603 606 607 609 610 614 616 617 624 631 640 645 646 656 667 678 679 680 681 686 689 703 704 " +
    "706 716 717 718 724 727 728 732 734 740 743 754 757 762 765 770 771 772 774 781 786 802 803 804 810 " +
    "813 814 821 826 828 835 838 839 843 845 848 854 856 857 859 860 862 863 864 865 878 904 908 910 912 " +
    "914 917 919 929 934 937 941 943 947 948 954 959 973 978 980 984 989",
  "America/Chicago":
    "205 210 214 217 218 219 224 225 228 251 254 256 262 274 281 309 312 314 316 318 319 320 325 327 331 " +
    "334 337 346 353 361 402 405 409 414 417 430 447 464 469 479 483 501 504 507 512 515 531 534 539 557 " +
    "563 572 573 580 601 608 612 615 618 620 629 630 636 641 651 659 660 662 682 708 712 713 715 726 730 " +
    "731 737 763 769 773 779 785 806 815 816 817 830 832 847 861 870 872 901 903 913 918 920 936 938 940 " +
    "945 952 956 972 975 979 985",
  "America/Denver": "303 307 385 406 435 505 575 719 720 801 915 970 983",
  "America/Phoenix": "480 520 602 623 928",
  "America/Los_Angeles":
    "206 209 213 253 279 310 323 341 350 360 369 408 415 424 425 442 458 503 509 510 530 559 562 564 619 " +
    "626 628 650 657 661 669 702 707 714 725 747 760 775 805 818 820 831 840 858 909 916 925 949 951 971",
  "America/Anchorage": "907",
  "Pacific/Honolulu": "808",
  "America/Puerto_Rico": "787 939",
  "America/St_Thomas": "340",
  "Pacific/Guam": "671",
  "America/Vancouver": "236 250 257 604 672 778",
  "America/Edmonton": "368 403 587 780 825",
  "America/Regina": "306 474 639",
  "America/Winnipeg": "204 431 584",
  "America/Toronto":
    "226 249 263 289 343 354 365 367 382 416 418 437 438 450 468 514 519 548 579 581 613 647 683 705 742 " +
    "753 819 873 905 942",
  "America/Halifax": "782 902",
  "America/Moncton": "428 506",
  "America/St_Johns": "709",
};

/** Area codes that span more than one zone. */
const MULTI_ZONE_AREA_CODES: Record<string, string[]> = {
  "208": ["America/Denver", "America/Los_Angeles"],
  "270": ["America/Chicago", "America/New_York"],
  "308": ["America/Chicago", "America/Denver"],
  "364": ["America/Chicago", "America/New_York"],
  "541": ["America/Los_Angeles", "America/Denver"],
  "605": ["America/Chicago", "America/Denver"],
  "701": ["America/Chicago", "America/Denver"],
  "807": ["America/Toronto", "America/Winnipeg"],
  "812": ["America/New_York", "America/Chicago"],
  "850": ["America/New_York", "America/Chicago"],
  "867": ["America/Whitehorse", "America/Yellowknife", "America/Iqaluit"],
  "906": ["America/New_York", "America/Chicago"],
  "930": ["America/New_York", "America/Chicago"],
  "931": ["America/Chicago", "America/New_York"],
  "986": ["America/Denver", "America/Los_Angeles"],
};

/** Florida, Connecticut, Maryland, Oklahoma and Washington: their laws end the window at 20:00. */
const STRICT_STATE_AREA_CODES = new Set(
  /* FL */ (
    "239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954 " +
    /* CT */ "203 475 860 959 " +
    /* MD */ "227 240 301 410 443 667 " +
    /* OK */ "405 539 572 580 918 " +
    /* WA */ "206 253 360 425 509 564"
  ).split(" "),
);

const ZONES_BY_AREA_CODE: Map<string, string[]> = (() => {
  const table = new Map<string, string[]>();
  for (const [zone, codes] of Object.entries(ZONE_AREA_CODES)) {
    for (const code of codes.split(" ")) table.set(code, [zone]);
  }
  for (const [code, zones] of Object.entries(MULTI_ZONE_AREA_CODES)) table.set(code, zones);
  return table;
})();

/** The area code of a +1 number, else undefined. */
export function northAmericanAreaCode(e164: string): string | undefined {
  return /^\+1(\d{3})\d{7}$/.exec(e164)?.[1];
}

export function zonesForAreaCode(areaCode: string): string[] | undefined {
  return ZONES_BY_AREA_CODE.get(areaCode);
}

export function isStrictQuietHoursAreaCode(areaCode: string): boolean {
  return STRICT_STATE_AREA_CODES.has(areaCode);
}
