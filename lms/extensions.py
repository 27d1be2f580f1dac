"""Flask extensions, created unbound here and bound to the app in `create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from lms.database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# No default limits: only the routes that need throttling (login, reset) declare theirs.
limiter = Limiter(key_func=get_remote_address)

# mypy cannot see through `db.Model`; models subclass `Model`, which is `db.Model` at run time.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
